package netkit.api;

/**
 * One TCP connection's statistics at one moment, as {@link SocketManager#tcpInfo(int)} reads them:
 * netkit's counterpart of Linux's {@code struct tcp_info} ({@code getsockopt(fd, IPPROTO_TCP,
 * TCP_INFO)}, what {@code ss -ti} prints). It holds only what netkit's TCP keeps; each component
 * names the Linux field it corresponds to and says where netkit's unit or meaning differs (netkit
 * counts windows and losses in bytes, Linux in segments). Times are microseconds or milliseconds
 * as in Linux. Fields Linux has and netkit does not (rcv_mss, rcv_ssthresh, reordering, min_rtt,
 * pacing and delivery rates, the ca_state) are left out rather than reported as zero.
 *
 * @param state             the connection's RFC 9293 state, {@code ESTABLISHED}, {@code SYN_SENT},
 *                          ... ({@code tcpi_state}); {@code CLOSED} once the connection has ended
 *                          (the figures are then its last)
 * @param congestionControl the congestion controller, {@code cubic} or {@code reno} (Linux's
 *                          {@code TCP_CONGESTION} option); empty in {@code SYN_SENT}, before the
 *                          peer's SYN tells which loss recovery to pair it with
 * @param retransmits       retransmission timeouts of the oldest unacknowledged segment (or the
 *                          SYN) in a row; 0 again once it is acknowledged ({@code tcpi_retransmits})
 * @param backoff           the exponent of the retransmission timer's backoff: the RTO is doubled
 *                          this many times (RFC 6298 §5.5; {@code tcpi_backoff})
 * @param rtoMicros         the retransmission timeout now, backoff included ({@code tcpi_rto})
 * @param atoMicros         the delayed-ACK timeout ({@code tcpi_ato}; netkit's is fixed by the
 *                          {@code delayedAckMillis} setting, Linux's adapts)
 * @param sndMss            the largest data a segment carries: the peer's MSS and the path's, less
 *                          the timestamps option when negotiated ({@code tcpi_snd_mss})
 * @param advMss            the MSS this end announced in its SYN, less the 12 bytes of the
 *                          timestamps option once they are negotiated, as Linux reports it
 *                          ({@code tcpi_advmss})
 * @param pmtu              the path MTU the connection uses ({@code tcpi_pmtu})
 * @param rttMicros         the smoothed round-trip time, SRTT of RFC 6298; 0 before the first
 *                          sample ({@code tcpi_rtt})
 * @param rttVarMicros      the round-trip time variation, RTTVAR of RFC 6298; 0 before the first
 *                          sample ({@code tcpi_rttvar})
 * @param sndSsthreshBytes  the slow-start threshold in bytes, {@link Long#MAX_VALUE} while slow
 *                          start has no threshold yet ({@code tcpi_snd_ssthresh}, in segments there,
 *                          with 0x7fffffff for none); 0 in {@code SYN_SENT}, before the controller exists
 * @param sndCwndBytes      the congestion window in bytes ({@code tcpi_snd_cwnd}, in segments there);
 *                          0 in {@code SYN_SENT}, before the controller exists
 * @param sndWndBytes       the peer's advertised window, scaled ({@code tcpi_snd_wnd})
 * @param rcvWndBytes       the window this end advertised last, from RCV.NXT ({@code tcpi_rcv_wnd})
 * @param lostBytes         outstanding bytes deemed lost and not yet retransmitted, by RACK
 *                          (RFC 8985) on a SACK connection; 0 without SACK, where netkit keeps no
 *                          scoreboard ({@code tcpi_lost}, in segments there)
 * @param sackedBytes       outstanding bytes the peer has selectively acknowledged (RFC 2018); 0
 *                          without SACK ({@code tcpi_sacked}, in segments there)
 * @param totalRetrans      segments retransmitted over the connection's life, SYNs and tail loss
 *                          probes included ({@code tcpi_total_retrans})
 * @param bytesSent         data bytes sent, retransmissions included ({@code tcpi_bytes_sent})
 * @param bytesRetrans      data bytes retransmitted ({@code tcpi_bytes_retrans})
 * @param bytesAcked        data bytes the peer has acknowledged cumulatively, SYN and FIN not
 *                          counted ({@code tcpi_bytes_acked}, RFC 4898 ThruOctetsAcked; Linux counts
 *                          the sequence space SND.UNA advanced over, which may include the SYN and FIN)
 * @param bytesReceived     data bytes received in order, SYN and FIN not counted
 *                          ({@code tcpi_bytes_received}, RFC 4898 ThruOctetsReceived)
 * @param segsOut           segments sent on the connection, retransmissions and pure ACKs included
 *                          ({@code tcpi_segs_out})
 * @param segsIn            segments received for the connection once it existed (for a passive open
 *                          from the SYN on), pure ACKs and unacceptable ones included
 *                          ({@code tcpi_segs_in})
 * @param dataSegsOut       segments sent carrying data, retransmissions included
 *                          ({@code tcpi_data_segs_out})
 * @param dataSegsIn        segments received carrying data ({@code tcpi_data_segs_in})
 * @param notSentBytes      bytes the application wrote that were never sent yet
 *                          ({@code tcpi_notsent_bytes})
 * @param lastDataSentMillis milliseconds since new data was last sent, -1 if none ever was
 *                          ({@code tcpi_last_data_send})
 * @param lastDataRecvMillis milliseconds since data last arrived, -1 if none ever did
 *                          ({@code tcpi_last_data_recv})
 * @param lastAckRecvMillis milliseconds since an acceptable ACK last arrived, -1 if none ever did
 *                          ({@code tcpi_last_ack_recv})
 * @param sackOk            both ends offered SACK (RFC 2018; {@code TCPI_OPT_SACK} of
 *                          {@code tcpi_options})
 * @param timestampsOk      both ends offered timestamps (RFC 7323; {@code TCPI_OPT_TIMESTAMPS})
 * @param windowScaleOk     both ends offered window scaling (RFC 7323; {@code TCPI_OPT_WSCALE})
 * @param sndWscale         the peer's window scale shift, by which its windows are multiplied; 0
 *                          without window scaling ({@code tcpi_snd_wscale})
 * @param rcvWscale         this end's window scale shift; 0 without window scaling
 *                          ({@code tcpi_rcv_wscale})
 */
public record TcpInfo(String state, String congestionControl, int retransmits, int backoff, long rtoMicros,
        long atoMicros, int sndMss, int advMss, int pmtu, long rttMicros, long rttVarMicros, long sndSsthreshBytes,
        long sndCwndBytes, long sndWndBytes, long rcvWndBytes, long lostBytes, long sackedBytes, long totalRetrans,
        long bytesSent, long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
        long dataSegsOut, long dataSegsIn, long notSentBytes, long lastDataSentMillis, long lastDataRecvMillis,
        long lastAckRecvMillis, boolean sackOk, boolean timestampsOk, boolean windowScaleOk, int sndWscale,
        int rcvWscale) {
}
