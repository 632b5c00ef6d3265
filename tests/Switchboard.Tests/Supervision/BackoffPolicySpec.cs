using Switchboard.Configuration;
using Switchboard.Supervision;

namespace Switchboard.Tests.Supervision;

public sealed class BackoffPolicySpec
{
    private static readonly BackoffSettings Defaults = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(500, 60)]
    public void Ceiling_doubles_from_min_and_is_capped_at_max(int failures, int seconds)
    {
        var policy = new BackoffPolicy(Defaults, new Random(1));
        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.Ceiling(failures));
    }

    [Fact]
    public void Full_jitter_stays_within_zero_and_the_ceiling_and_spreads_over_it()
    {
        var policy = new BackoffPolicy(Defaults, new Random(42));
        var delays = Enumerable.Range(0, 10_000).Select(_ => policy.Next(4)).ToArray();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        // Full jitter: spread over the whole window, not clustered at the ceiling like additive jitter.
        Assert.InRange(delays.Count(d => d < TimeSpan.FromSeconds(2)), 2_000, 3_000);
        Assert.InRange(delays.Average(d => d.TotalSeconds), 3.8, 4.2);
    }
}
