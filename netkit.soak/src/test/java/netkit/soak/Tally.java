package netkit.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one seed (or many, merged) did and found. */
final class Tally {
    long seeds;
    long transfers;
    long transfersCompleted;
    long transfersFailedAsExpected;
    long transfersGivenUp;
    long bytes;
    long datagramsSent;
    long datagramsDelivered;
    long linkSwaps;
    long protocolRestarts;
    long simulatedMillis;
    /** Transfers that received a segment corrupted twice so that its Internet checksum still held. */
    long checksumBlindCorruptions;
    final Map<String, Long> failuresByErrno = new TreeMap<>();
    final List<String> findings = new ArrayList<>();
    /** Seeds with at least one finding. */
    final List<Long> failedSeeds = new ArrayList<>();

    void failure(Call call, String errno) {
        failuresByErrno.merge(errno, 1L, Long::sum);
    }

    void merge(Tally t) {
        seeds += t.seeds;
        transfers += t.transfers;
        transfersCompleted += t.transfersCompleted;
        transfersFailedAsExpected += t.transfersFailedAsExpected;
        transfersGivenUp += t.transfersGivenUp;
        bytes += t.bytes;
        datagramsSent += t.datagramsSent;
        datagramsDelivered += t.datagramsDelivered;
        linkSwaps += t.linkSwaps;
        protocolRestarts += t.protocolRestarts;
        simulatedMillis += t.simulatedMillis;
        checksumBlindCorruptions += t.checksumBlindCorruptions;
        t.failuresByErrno.forEach((k, v) -> failuresByErrno.merge(k, v, Long::sum));
        findings.addAll(t.findings);
        failedSeeds.addAll(t.failedSeeds);
    }
}
