package netkit.webconsole;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.api.spi.link.LinkDriver;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The netkit page of the Apache Felix Web Console ({@code /system/console/netkit}): a plain
 * {@code javax.servlet} Servlet service with the Web Console's {@code felix.webconsole.label}, which
 * the console wraps in its frame and protects with its own authentication.
 *
 * <ul>
 * <li>{@code GET .../netkit}: the page (its tables and charts are drawn by {@code res/netkit.js}
 * from the JSON below, polled every second);</li>
 * <li>{@code GET .../netkit/data.json}: a {@link Snapshot} of every stack, read through
 * {@link NetworkAdmin};</li>
 * <li>{@code POST .../netkit/swap} ({@code iface}, {@code driver}, {@code params}): runs
 * {@code netkit:link swap} through Gogo's {@link CommandProcessor}, the console command itself, so
 * its checks, its {@code etc/} file and its roll-back of a link that does not open are the same.
 * The request must carry the page's token in {@code X-Netkit-Token} and come from the console's own
 * origin ({@code Origin}, else {@code Referer}); a form is checked before anything changes.</li>
 * <li>{@code GET .../netkit/res/netkit.js|netkit.css}: served from this bundle (no CDN).</li>
 * </ul>
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + NetkitPlugin.LABEL,
        "felix.webconsole.title=netkit",
        "felix.webconsole.category=Network",
        "felix.webconsole.css=/" + NetkitPlugin.LABEL + "/res/netkit.css"})
public final class NetkitPlugin extends HttpServlet {
    static final String LABEL = "netkit";
    /** The header a swap must carry, with the page's token. */
    static final String TOKEN_HEADER = "X-Netkit-Token";
    private static final long serialVersionUID = 1L;
    private static final Set<String> RESOURCES = Set.of("netkit.js", "netkit.css");

    private final transient List<NetworkAdmin> admins = new CopyOnWriteArrayList<>();
    private final transient Map<String, LinkDriver> drivers = new ConcurrentHashMap<>();
    private transient volatile CommandProcessor commands;
    /** Random per activation: a page from before a restart cannot swap. */
    private final String token = newToken();
    private final transient Object swapLock = new Object();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAdmin(NetworkAdmin a) {
        admins.add(a);
    }

    void removeAdmin(NetworkAdmin a) {
        admins.remove(a);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDriver(LinkDriver d) {
        drivers.put(d.name(), d);
    }

    void removeDriver(LinkDriver d) {
        drivers.remove(d.name(), d);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setCommands(CommandProcessor p) {
        commands = p;
    }

    void unsetCommands(CommandProcessor p) {
        if (commands == p) {
            commands = null;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith("/data.json")) {
            res.setContentType("application/json");
            res.setCharacterEncoding("UTF-8");
            res.setHeader("Cache-Control", "no-store");
            res.getWriter().write(Snapshot.json(admins, new TreeSet<>(drivers.keySet()), commands != null,
                    System.currentTimeMillis()));
            return;
        }
        if (!res.isCommitted()) {
            res.setContentType("text/html");
            res.setCharacterEncoding("UTF-8");
        }
        page(req, res.getWriter());
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (!path.endsWith("/swap")) {
            answer(res, HttpServletResponse.SC_NOT_FOUND, false, "no such action");
            return;
        }
        String refused = refusal(req);
        if (refused != null) {
            answer(res, HttpServletResponse.SC_FORBIDDEN, false, refused);
            return;
        }
        SwapRequest swap;
        try {
            List<String> names = new ArrayList<>();
            for (NetworkAdmin a : admins) {
                for (InterfaceStatus s : a.interfaces()) {
                    names.add(s.name());
                }
            }
            swap = SwapRequest.parse(req.getParameter("iface"), req.getParameter("driver"), req.getParameter("params"),
                    names, new TreeSet<>(drivers.keySet()));
        } catch (IllegalArgumentException e) {
            answer(res, HttpServletResponse.SC_BAD_REQUEST, false, e.getMessage());
            return;
        }
        CommandProcessor p = commands;
        if (p == null) {
            answer(res, HttpServletResponse.SC_SERVICE_UNAVAILABLE, false,
                    "link swap needs the netkit console commands (Gogo runtime and netkit.console); nothing changed");
            return;
        }
        synchronized (swapLock) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CommandSession session = p.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
                Object result = session.execute(swap.command());
                String text = result == null ? "" : String.valueOf(result).strip();
                answer(res, HttpServletResponse.SC_OK, true, text.isEmpty() ? "swapped " + swap.iface() + " on "
                        + swap.driver() : text);
            } catch (Exception e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                answer(res, HttpServletResponse.SC_CONFLICT, false, m.strip());
            }
        }
    }

    /**
     * Why a state-changing request is refused (null: it is not): it must carry the page's token and,
     * by {@code Origin} (else {@code Referer}), come from the host it was sent to. The Web Console's
     * own authentication has already let it in.
     */
    String refusal(HttpServletRequest req) {
        String given = req.getHeader(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            return "missing or stale page token: reload the page";
        }
        String host = req.getHeader("Host");
        String origin = req.getHeader("Origin");
        String from = origin != null && !origin.equals("null") ? origin : req.getHeader("Referer");
        if (host == null || from == null) {
            return "cross-origin request refused (no Origin or Referer)";
        }
        try {
            URI u = URI.create(from);
            String authority = u.getRawAuthority();
            if (authority != null && authority.contains("@")) {
                authority = authority.substring(authority.indexOf('@') + 1);
            }
            if (authority == null || !authority.equalsIgnoreCase(host)) {
                return "cross-origin request refused (" + u.getScheme() + "://" + authority + " is not " + host + ")";
            }
        } catch (IllegalArgumentException e) {
            return "cross-origin request refused (bad Origin)";
        }
        return null;
    }

    private static void answer(HttpServletResponse res, int status, boolean ok, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-store");
        res.getWriter().write(new Json().beginObject().field("ok", ok).field(ok ? "message" : "error", message)
                .endObject().toString());
    }

    /** The page: empty tables and canvases that netkit.js fills. */
    private void page(HttpServletRequest req, PrintWriter w) {
        Object root = req.getAttribute("felix.webconsole.pluginRoot");
        String pluginRoot = root != null ? root.toString() : req.getContextPath() + req.getServletPath() + "/" + LABEL;
        w.println("<div id='netkit' data-root='" + html(pluginRoot) + "' data-token='" + html(token) + "'>");
        w.println("<p class='statline' id='nk-status'>netkit: loading...</p>");
        w.println("<noscript><p>This page draws its tables and charts with JavaScript.</p></noscript>");
        w.println("<div id='nk-stacks'></div>");
        w.println("<h2 class='nk-h'>Swap link driver</h2>");
        w.println("<form id='nk-swap' class='nk-form' method='post' action='" + html(pluginRoot) + "/swap'>");
        w.println("<label>Interface <select id='nk-swap-iface' name='iface'></select></label>");
        w.println("<label>Driver <select id='nk-swap-driver' name='driver'></select></label>");
        w.println("<label>Parameters <input id='nk-swap-params' name='params' size='40' "
                + "placeholder='key=value key=value'></label>");
        w.println("<button id='nk-swap-go' type='submit'>Swap</button>");
        w.println("<span id='nk-swap-result' role='status'></span>");
        w.println("</form>");
        w.println("<script src='" + html(pluginRoot) + "/res/netkit.js'></script>");
        w.println("</div>");
    }

    /**
     * Web Console looks this method up by name (private, protected or public, not package-private) to
     * serve {@code LABEL/res/*} from the bundle.
     */
    @SuppressWarnings("unused")
    private URL getResource(String path) {
        return resource(path);
    }

    /** The URL of one of the page's own files, null for anything else. */
    URL resource(String path) {
        String prefix = "/" + LABEL + "/res/";
        if (path != null && path.startsWith(prefix) && RESOURCES.contains(path.substring(prefix.length()))) {
            return NetkitPlugin.class.getResource("/res/" + path.substring(prefix.length()));
        }
        return null;
    }

    String token() {
        return token;
    }

    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\'' -> sb.append("&#39;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
