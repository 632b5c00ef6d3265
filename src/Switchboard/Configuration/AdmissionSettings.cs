namespace Switchboard.Configuration;

/// <summary><c>switchboard.admission</c>: the cap on concurrent handshakes, fixed or adaptive, and an optional rate (0 = unlimited).</summary>
/// <param name="Adaptive">The cap moves with handshake latency (<c>limit = adaptive</c>), between <paramref name="AdaptiveMin"/> and <paramref name="AdaptiveMax"/>.</param>
/// <param name="MaxConcurrentHandshakes">Resolved cap when fixed, or where an adaptive limit starts (0 in the file means derived from the IO-actor count).</param>
/// <param name="LatencyTarget">Adaptive only: a handshake slower than this (grant to outcome) counts as congestion.</param>
/// <param name="InboundShare">The share of the limit a runtime's listener may hold at once for handshakes agents open to us.</param>
public sealed record AdmissionSettings(
    bool Adaptive,
    int MaxConcurrentHandshakes,
    int AdaptiveMin,
    int AdaptiveMax,
    TimeSpan LatencyTarget,
    double HandshakesPerSecond,
    double InboundShare = 0.5);
