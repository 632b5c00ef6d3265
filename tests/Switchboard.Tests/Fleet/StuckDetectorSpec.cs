using System.Collections.Immutable;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Resumption;

namespace Switchboard.Tests.Fleet;

/// <summary>The never-stuck watch: how long each state may last, and a queue judged by whether it moves.</summary>
public sealed class StuckDetectorSpec
{
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private readonly ManualClock _clock = new();

    [Fact]
    public void An_endpoint_waiting_its_turn_is_not_stuck_while_the_queue_ahead_of_it_moves()
    {
        var detector = new StuckDetector(BackoffMax, Attempt, time: _clock);
        // 40 queued; one leaves every poll, so the last waits 20 s, five attempts' worth.
        for (var admitted = 0; admitted <= 40; admitted++)
        {
            detector.Observe(Report(Enumerable.Range(0, 40).Select(i => Endpoint($"e{i}",
                i < admitted - 1 ? EndpointState.Connected : i == admitted - 1 ? EndpointState.Handshaking : EndpointState.Queued))));
            _clock.Advance(Poll);
        }

        Assert.Empty(detector.Violations);
    }

    [Fact]
    public void A_queue_no_endpoint_leaves_for_longer_than_an_attempt_is_stuck()
    {
        var detector = new StuckDetector(BackoffMax, Attempt, time: _clock);
        for (var i = 0; i < 14; i++)
        {
            detector.Observe(Report([Endpoint("a", EndpointState.Connected), Endpoint("b", EndpointState.Queued)]));
            _clock.Advance(Poll);
        }

        Assert.Equal(["b"], detector.StuckEndpoints);
        Assert.All(detector.Violations, v => Assert.StartsWith("b sat in Queued (attempt 1) while no endpoint left the queue for", v));
        Assert.NotEmpty(detector.Violations);
    }

    [Fact]
    public void An_attempt_longer_than_connect_and_handshake_timeouts_and_a_backoff_without_a_retry_are_stuck()
    {
        var detector = new StuckDetector(BackoffMax, Attempt, time: _clock);
        detector.Observe(Report([Endpoint("slow", EndpointState.Connecting), Endpoint("lost", EndpointState.Backoff), Endpoint("up", EndpointState.Connected)]));
        _clock.Advance(Attempt + StuckDetector.Slack + Poll);
        detector.Observe(Report([Endpoint("slow", EndpointState.Connecting), Endpoint("lost", EndpointState.Backoff), Endpoint("up", EndpointState.Connected)]));

        Assert.Contains(detector.Violations, v => v.Contains("lost is in backoff with no retry scheduled", StringComparison.Ordinal));
        Assert.Contains(detector.Violations, v => v.StartsWith("slow sat in Connecting", StringComparison.Ordinal));
        Assert.DoesNotContain("up", detector.StuckEndpoints);
    }

    private static EndpointStatus Endpoint(string name, EndpointState state) =>
        new(name, "127.0.0.1", 1, state, 1, null, null, 0, 0, 0, null, null);

    private static StatusReport Report(IEnumerable<EndpointStatus> endpoints) =>
        new(ImmutableDictionary<EndpointState, int>.Empty, [.. endpoints], 0, 0, 0, 0, 0);
}
