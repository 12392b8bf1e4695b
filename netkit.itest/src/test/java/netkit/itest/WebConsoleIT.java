package netkit.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web page in a real headless browser (Debian's Chromium through ChromeDriver and Selenium): the
 * executable jar runs as a process with its optional web part on (framework start level 2) on a free
 * loopback port, with {@code eth0} on a wire segment and a TCP transfer running on {@code lo0}. The
 * page shows both interfaces, its chart data grows with the transfer, and a link swap made with the
 * page's form changes {@code eth0}'s driver while the transfer goes on; a bad form changes nothing.
 * Skipped where Chromium is not installed, except under CI (environment {@code CI}), where that fails.
 */
public class WebConsoleIT {
    private static final Path JAR = Path.of(System.getProperty("netkit.jar", "target/netkit.jar")).toAbsolutePath();
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Process runtime;
    private WebDriver browser;
    private Path home;

    @After
    public void stop() throws Exception {
        if (browser != null) {
            try {
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).renameTo(
                        new File("target/webconsole-it.png"));
            } finally {
                browser.quit();
            }
        }
        if (runtime != null) {
            runtime.destroy();
            if (!runtime.waitFor(20, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
            }
        }
    }

    @Test
    public void thePageShowsChartsAndSwapsALink() throws Exception {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present && System.getenv("CI") != null) {
            fail("CI must run the browser test: install Debian's chromium and chromium-driver (.ci/run does)");
        }
        Assume.assumeTrue("skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver to run the web page's browser test)", present);

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        home = Files.createTempDirectory(Path.of("target"), "web-");
        runtime = new ProcessBuilder("java", "-Dorg.osgi.framework.startlevel.beginning=2",
                "-Dorg.osgi.service.http.port=" + port, "-jar", JAR.toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile()).start();
        OutputStream console = runtime.getOutputStream();
        // stdin stays open: the shell runs the lines, then the transfer until the test ends
        console.write(("netkit:ifconfig eth0 10.9.0.1/24 driver wire param segment=webtest\n"
                + "netkit:serve tcp sink 9000\n"
                + "netkit:send --bytes 100000000000 tcp 127.0.0.1 9000\n").getBytes(StandardCharsets.UTF_8));
        console.flush();
        String base = "http://127.0.0.1:" + port + "/system/console/netkit";
        await("the web console answers on " + base, 90, () -> status(base) == 200);
        assertEquals("the Web Console's own authentication", 401, statusWithoutAuth(base));
        String other = nonLoopbackAddress();
        if (other != null) {
            assertEquals("bound to 127.0.0.1 only, not to " + other, -1, status("http://" + other + ":" + port
                    + "/system/console/netkit"));
        }

        browser = chrome();
        browser.get("http://admin:admin@127.0.0.1:" + port + "/system/console/netkit");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        await("lo0 and eth0 on the page", 30, () -> driver("lo0") != null && driver("eth0") != null);
        assertEquals("loopback", driver("lo0"));
        assertEquals("wire", driver("eth0"));
        assertTrue(text("lo0"), text("lo0").contains("127.0.0.1/8"));
        assertTrue(text("eth0"), text("eth0").contains("10.9.0.1/24"));

        // the transfer: lo0's chart series get non-zero throughput, poll after poll
        await("the transfer's connection in the socket table", 60, () -> established() != null);
        await("lo0's throughput chart data above zero", 30, () -> number(js, "var e = netkitPage.ifaces['netkit/lo0'];"
                + " return e.series.rx[e.series.rx.length - 1];") > 0);
        long polls = (long) number(js, "return netkitPage.polls;");
        double bytes = lo0RxBytes(js);
        await("chart data updated", 20, () -> number(js, "return netkitPage.polls;") >= polls + 2
                && lo0RxBytes(js) > bytes);
        String sockets = established();
        assertTrue("srtt and cwnd shown: " + sockets, sockets.matches("(?s).*\\d+\\.\\d+ms\\s+\\d+.*"));
        assertTrue("per-connection chart drawn", !browser.findElements(By.cssSelector("canvas[id^='nk-c-']")).isEmpty());

        // a bad form: one error line, nothing changed
        swap("eth0", "pair", "pair=webtest bogus");
        await("the error shown", 20, () -> result().startsWith("error: not a driver parameter: 'bogus'"));
        assertEquals("wire", driver("eth0"));

        // the swap, from the page
        swap("eth0", "pair", "pair=webtest");
        await("the swap answered", 30, () -> result().contains("swapped eth0 on pair"));
        await("eth0 shown on its new driver", 10, () -> "pair".equals(driver("eth0")));
        assertTrue(text("eth0"), text("eth0").contains("10.9.0.1/24"));
        String etc = Files.readString(home.resolve("etc/netkit.interface-eth0.cfg"), StandardCharsets.ISO_8859_1);
        assertTrue("the console command's etc/ file follows: " + etc, etc.contains("pair") && etc.contains("pair=webtest"));

        // the transfer goes on
        double after = lo0RxBytes(js);
        await("the transfer continues after the swap", 20, () -> lo0RxBytes(js) > after);
        assertTrue("the connection survived the swap", established() != null);
        assertEquals("no fetch failed", 0L, (long) number(js, "return netkitPage.errors;"));
    }

    private WebDriver chrome() throws IOException {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2400",
                "--user-data-dir=" + Files.createTempDirectory(home, "chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .withLogFile(home.resolve("chromedriver.log").toFile()).build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return d;
    }

    // The page redraws its tables every second: read them in one script, never through a kept element.
    private String driver(String iface) {
        return (String) ((JavascriptExecutor) browser).executeScript("var r = document.querySelector("
                + "\"tr[data-iface='\" + arguments[0] + \"']\"); return r ? r.getAttribute('data-driver') : null;", iface);
    }

    private String text(String iface) {
        return (String) ((JavascriptExecutor) browser).executeScript("var r = document.querySelector("
                + "\"tr[data-iface='\" + arguments[0] + \"']\"); return r ? r.innerText : null;", iface);
    }

    /** The text of the first ESTABLISHED socket's row, null when there is none. */
    private String established() {
        return (String) ((JavascriptExecutor) browser).executeScript("var r = document.querySelector("
                + "\"tr.nk-sock[data-state='ESTABLISHED']\"); return r ? r.innerText : null;");
    }

    private void swap(String iface, String driver, String params) {
        new Select(browser.findElement(By.id("nk-swap-iface"))).selectByValue(iface);
        new Select(browser.findElement(By.id("nk-swap-driver"))).selectByValue(driver);
        WebElement p = browser.findElement(By.id("nk-swap-params"));
        p.clear();
        p.sendKeys(params);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('nk-swap-result').textContent = '';");
        browser.findElement(By.id("nk-swap-go")).click();
    }

    private String result() {
        return browser.findElement(By.id("nk-swap-result")).getText();
    }

    private static double lo0RxBytes(JavascriptExecutor js) {
        return number(js, "var d = netkitPage.last; if (!d) return 0; var r = 0; d.stacks.forEach(function (s) {"
                + " s.interfaces.forEach(function (i) { if (i.name === 'lo0') r = i.counters.rxBytes; }); }); return r;");
    }

    private static double number(JavascriptExecutor js, String script) {
        Object o = js.executeScript(script);
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestProperty("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** An address of this host other than loopback, or null. */
    private static String nonLoopbackAddress() throws IOException {
        for (java.net.NetworkInterface n : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && n.isUp()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }

    private static int statusWithoutAuth(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        return c.getResponseCode();
    }

    private void await(String what, int seconds, Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the page is being redrawn: try again
            }
            if (!runtime.isAlive()) {
                fail(what + ": the runtime exited: " + Files.readString(home.resolve("console.log")));
            }
            Thread.sleep(250);
        }
        fail("timed out: " + what + "\nconsole: " + Files.readString(home.resolve("console.log"))
                + (browser != null ? "\npage: " + browser.findElement(By.id("netkit")).getText() : ""));
    }
}
