package dev.partyline.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium emulating a phone (390×844 CSS pixels) with a profile of its own, driven by
 * the system's chromedriver. Nothing is downloaded: the browser and the driver are Debian's
 * ({@value #CHROMIUM}, {@value #CHROMEDRIVER}), which the project's test script installs.
 * {@link #close} quits the browser and deletes its profile.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final int WIDTH = 390;
    public static final int HEIGHT = 844;
    /** Device pixels per CSS pixel: screenshots are {@code 2 × 390} wide. */
    public static final double PIXEL_RATIO = 2.0;
    /** How long a test waits for the page: generous, a browser test must not be flaky. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** Where screenshots go, relative to the module (surefire's working directory). */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Selenium warns at every start that it has no CDP bindings for this Chromium; these tests use no CDP. */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(Level.SEVERE);
    }

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium() throws IOException {
        profile = Files.createTempDirectory("partyline-chromium-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT);
        // Headless Chromium keeps windows at least 500 px wide; phone emulation gives the page a
        // real 390 px viewport (and honours its viewport meta tag, as a phone does).
        options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", WIDTH, "height", HEIGHT, "pixelRatio", PIXEL_RATIO, "mobile", true, "touch", true)));
        try {
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(WAIT);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
    }

    /** Starts a browser; close it (try-with-resources or an {@code @AfterAll}). */
    public static HeadlessChromium start() {
        try {
            return new HeadlessChromium();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** The element with {@code data-testid="testId"}; fails at once when there is none. */
    public WebElement byTestId(String testId) {
        return driver.findElement(testId(testId));
    }

    /** Every element with {@code data-testid="testId"}, in document order. */
    public List<WebElement> allByTestId(String testId) {
        return driver.findElements(testId(testId));
    }

    public static By testId(String testId) {
        return By.cssSelector("[data-testid=\"" + testId + "\"]");
    }

    /** Runs a script in the page and returns its result. */
    @SuppressWarnings("unchecked")
    public <T> T script(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Records every frame the page's WebSockets send and receive, in order, in
     * {@code window.__sent} and {@code window.__received}. Call on the page before it creates its
     * client: the library takes {@code WebSocket} when the client is made. Idempotent.
     */
    public void tapWebSocketFrames() {
        script("""
                if (!window.__tapped) {
                  window.__tapped = true;
                  window.__sent = [];
                  window.__received = [];
                  const Native = window.WebSocket;
                  window.WebSocket = class extends Native {
                    constructor(...args) {
                      super(...args);
                      this.addEventListener('message', (e) => window.__received.push(e.data));
                    }
                    send(data) {
                      window.__sent.push(data);
                      return super.send(data);
                    }
                  };
                }
                """);
    }

    /** Forgets what the page stored on {@code origin} (the remembered name), then opens {@code url}. */
    public void openFresh(String origin, String url) {
        driver.get(origin);
        script("localStorage.clear(); sessionStorage.clear();");
        driver.get(url);
    }

    /** Saves a PNG of the viewport as {@code target/screenshots/NAME.png} and returns its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> paths = Files.walk(profile)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Chromium may still be writing; a leftover temp dir is not worth failing a test for.
        }
    }
}
