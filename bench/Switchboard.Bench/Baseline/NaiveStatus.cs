namespace Switchboard.Bench.Baseline;

/// <summary>What the naive manager can tell about itself: links up and handshakes completed. Not whether any resumed.</summary>
internal sealed record NaiveStatus(int Endpoints, int Connected, long Handshakes);
