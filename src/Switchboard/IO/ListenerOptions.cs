using System.Net;
using Switchboard.Supervision;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>What one listener needs: where to bind, the server context, who gets the links, and its admission.</summary>
/// <param name="MaxPendingHandshakes">Connections not yet authenticated (waiting for a slot or handshaking), in all.</param>
/// <param name="MaxPendingPerAddress">The same, per source address.</param>
/// <param name="Gate">The admission gate inbound handshakes share with outbound ones; null = admitted at once (a pool's own listener).</param>
/// <param name="InboundShare">The share of the gate's limit inbound handshakes may hold at once.</param>
/// <param name="WaitDeadline">How long a connection may wait for a slot; past it the client has given up.</param>
internal sealed record ListenerOptions(
    IPEndPoint Address,
    TlsContext Context,
    InboundHandler Handler,
    int MaxPendingHandshakes = 1000,
    int Backlog = 1024,
    int MaxPendingPerAddress = 32,
    AdmissionGate? Gate = null,
    double InboundShare = 0.5,
    TimeSpan WaitDeadline = default);
