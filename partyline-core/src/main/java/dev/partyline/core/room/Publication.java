package dev.partyline.core.room;

import java.nio.charset.StandardCharsets;

/**
 * The broker payload of one room event: an audience header, then the encoded frame, so that a
 * node fans out without decoding the JSON. Layout: one byte with the audience length (0: every
 * member), the audience player id in UTF-8, then the frame bytes.
 */
public final class Publication {
    private Publication() {}

    /** Packs a frame for everyone ({@code audience} null) or for one player id. */
    public static byte[] pack(String audience, byte[] frame) {
        byte[] id = audience == null ? new byte[0] : audience.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("audience id longer than 255 bytes");
        }
        byte[] payload = new byte[1 + id.length + frame.length];
        payload[0] = (byte) id.length;
        System.arraycopy(id, 0, payload, 1, id.length);
        System.arraycopy(frame, 0, payload, 1 + id.length, frame.length);
        return payload;
    }

    /** The player id the event is for, or null when it is for every member. */
    public static String audience(byte[] payload) {
        int length = payload[0] & 0xff;
        return length == 0 ? null : new String(payload, 1, length, StandardCharsets.UTF_8);
    }

    /** Where the frame starts in {@code payload}. */
    public static int frameOffset(byte[] payload) {
        return 1 + (payload[0] & 0xff);
    }
}
