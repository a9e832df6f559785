package dev.partyline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JoinLinkQrCodeTest {
    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern RUN = Pattern.compile("M(\\d+),(\\d+)h(\\d+)v1h-\\d+z");
    private static final int SCALE = 4;

    @Test
    void theSvgScansBackToTheJoinLink() throws Exception {
        String link = "http://192.168.1.20:8080/r/BCDF";
        String svg = new JoinLinkQrCode().svg(link);
        assertThat(svg).startsWith("<svg").endsWith("</svg>");
        assertThat(scan(svg)).isEqualTo(link);
    }

    /** Rasterises the SVG's runs of dark modules and reads the QR code with ZXing's own reader. */
    private static String scan(String svg) throws Exception {
        Matcher box = VIEW_BOX.matcher(svg);
        assertThat(box.find()).isTrue();
        int width = Integer.parseInt(box.group(1)) * SCALE;
        int height = Integer.parseInt(box.group(2)) * SCALE;
        int[] pixels = new int[width * height];
        java.util.Arrays.fill(pixels, 0xFFFFFF);
        Matcher run = RUN.matcher(svg);
        while (run.find()) {
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int length = Integer.parseInt(run.group(3));
            for (int dy = 0; dy < SCALE; dy++) {
                for (int dx = 0; dx < length * SCALE; dx++) {
                    pixels[(y * SCALE + dy) * width + x * SCALE + dx] = 0;
                }
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels)));
        return new QRCodeReader().decode(bitmap).getText();
    }
}
