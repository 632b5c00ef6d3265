namespace Switchboard.Configuration;

/// <summary><c>switchboard.admission</c>: the global cap on concurrent handshakes and an optional rate (0 = unlimited).</summary>
/// <param name="MaxConcurrentHandshakes">Resolved cap (0 in the file means derived from the IO-actor count).</param>
internal sealed record AdmissionSettings(int MaxConcurrentHandshakes, double HandshakesPerSecond);
