package netkit.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned text columns sized to their widest cell, netstat style; also a command result that
 * Gogo scripts can read ({@link #headings()}, {@link #rows()}) and, with {@link #tsv()}, the
 * script-friendly form: one line per row, cells separated by tabs, the headings first.
 */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** A table with these headings. */
    public Table(String... headings) {
        this.columns = headings.length;
        rows.add(headings);
    }

    /** Adds a row (missing cells are blank). */
    public Table row(Object... cells) {
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    /** The column headings. */
    public List<String> headings() {
        return List.of(rows.get(0));
    }

    /** The rows, without the headings; each as many cells as there are columns. */
    public List<List<String>> rows() {
        return rows.subList(1, rows.size()).stream().map(List::of).toList();
    }

    /**
     * Tab-separated values: the headings line, then one line per row (a tab or newline inside a cell
     * becomes a space).
     */
    public String tsv() {
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                sb.append(i == 0 ? "" : "\t").append(r[i].replace('\t', ' ').replace('\n', ' '));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Rows added, without the heading. */
    public int size() {
        return rows.size() - 1;
    }

    @Override
    public String toString() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
