package dev.partyline.protocol;

/**
 * Client text made safe to echo into an error message, a close reason or a log line. Thread-safe.
 */
public final class PrintableText {
    private PrintableText() {}

    /**
     * Keeps at most {@code maxCodePoints} code points of {@code text} (never half a surrogate
     * pair) and replaces each character that could rewrite a log line or a terminal, or
     * reorder what a person reads, with {@code ?}: C0 and C1 controls, format characters such
     * as bidi overrides, line and paragraph separators, and unpaired surrogates.
     */
    public static String of(String text, int maxCodePoints) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxCodePoints) + 1);
        int kept = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            if (kept == maxCodePoints) {
                out.append('…');
                break;
            }
            int codePoint = text.codePointAt(i);
            out.appendCodePoint(switch (Character.getType(codePoint)) {
                case Character.CONTROL -> Character.isWhitespace(codePoint) ? ' ' : '?';
                case Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR -> '?';
                default -> codePoint;
            });
            kept++;
        }
        return out.toString();
    }
}
