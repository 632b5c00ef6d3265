namespace Switchboard.Bench.Storm;

/// <summary>One point of a phase's time line, taken every 100 ms: what the CSV and the plot show.</summary>
/// <param name="Seconds">Since the phase started.</param>
internal sealed record Sample(double Seconds, int Connected, long Handshakes, int Threads, long RssBytes, double CpuSeconds);
