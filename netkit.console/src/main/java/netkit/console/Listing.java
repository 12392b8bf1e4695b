package netkit.console;

/**
 * A table a command returns: {@code toString} is what the console prints (an optional title line,
 * the aligned table, optional lines after it), or with {@code tsv} the table as tab-separated values
 * only; Gogo scripts read the cells through {@link #table()}.
 *
 * @param title  a line before the table ("Active Internet connections (only servers)"), or ""
 * @param table  the rows
 * @param footer lines after the table (netstat's internals), or ""
 * @param tsv    print the script-friendly form
 */
public record Listing(String title, Table table, String footer, boolean tsv) {
    @Override
    public String toString() {
        if (tsv) {
            return table.tsv();
        }
        return (title.isEmpty() ? "" : title + "\n") + table + footer;
    }
}
