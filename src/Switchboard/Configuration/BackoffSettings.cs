namespace Switchboard.Configuration;

/// <summary><c>switchboard.backoff</c>: full jitter, <c>rand(0, min(Max, Min·2ⁿ))</c>, reset after <see cref="StableAfter"/> connected.</summary>
public sealed record BackoffSettings(TimeSpan Min, TimeSpan Max, TimeSpan StableAfter);
