package netkit.webconsole;

import java.util.Map;

/** A minimal JSON writer (objects, arrays, strings, numbers, booleans): the page's data needs no more. */
final class Json {
    private final StringBuilder sb = new StringBuilder(4096);
    /** Whether the next value in the current object or array needs a comma before it. */
    private boolean comma;

    Json beginObject() {
        sep();
        sb.append('{');
        comma = false;
        return this;
    }

    Json endObject() {
        sb.append('}');
        comma = true;
        return this;
    }

    Json beginArray() {
        sep();
        sb.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        sb.append(']');
        comma = true;
        return this;
    }

    /** A member name; its value follows. */
    Json name(String name) {
        sep();
        string(name);
        sb.append(':');
        comma = false;
        return this;
    }

    Json value(String s) {
        sep();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        comma = true;
        return this;
    }

    Json value(long n) {
        sep();
        sb.append(n);
        comma = true;
        return this;
    }

    Json value(boolean b) {
        sep();
        sb.append(b);
        comma = true;
        return this;
    }

    Json field(String name, String s) {
        return name(name).value(s);
    }

    Json field(String name, long n) {
        return name(name).value(n);
    }

    Json field(String name, boolean b) {
        return name(name).value(b);
    }

    /** An object of string values. */
    Json field(String name, Map<String, String> m) {
        name(name).beginObject();
        m.forEach(this::field);
        return endObject();
    }

    private void sep() {
        if (comma) {
            sb.append(',');
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // also escapes < > & so the text is safe inside a <script> element
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
