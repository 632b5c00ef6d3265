using Switchboard.Configuration;

namespace Switchboard.Supervision;

/// <summary>
/// Exponential backoff with full jitter (AWS): <c>rand(0, min(max, min·2ⁿ))</c>. Akka's BackoffSupervisor
/// is not used because its jitter only adds time and is applied after the cap, so endpoints that failed
/// together retry together; full jitter spreads a storm evenly over the whole window.
/// </summary>
internal sealed class BackoffPolicy(BackoffSettings settings, Random random)
{
    public BackoffSettings Settings => settings;

    /// <summary>The ceiling for attempt <paramref name="failures"/> (1 = the first failure).</summary>
    public TimeSpan Ceiling(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = settings.Min.Ticks * Math.Pow(2, exponent);
        return ticks >= settings.Max.Ticks ? settings.Max : TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Next(int failures) => TimeSpan.FromTicks((long)(random.NextDouble() * Ceiling(failures).Ticks));
}
