using Akka.TestKit.Xunit2;
using Switchboard.Supervision;

namespace Switchboard.Tests.Supervision;

/// <summary>The admission gate and its limit: grants on the spot, FIFO waiting, AIMD on handshake latency.</summary>
public sealed class AdmissionSpec : TestKit
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(5);

    [Fact]
    public void A_fixed_limit_never_moves()
    {
        var limit = AdmissionLimit.Fixed(8);
        for (var i = 0; i < 100; i++)
        {
            limit.OnSample(i % 2 == 0 ? Fast : TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(i));
        }

        Assert.Equal(8, limit.Current);
    }

    [Fact]
    public void An_adaptive_limit_grows_by_one_per_fast_handshake_until_its_ceiling()
    {
        var limit = AdmissionLimit.Adapting(initial: 10, min: 2, max: 40, Target);
        for (var i = 0; i < 20; i++)
        {
            limit.OnSample(Fast, TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(30, limit.Current);
        for (var i = 0; i < 100; i++)
        {
            limit.OnSample(Fast, TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(40, limit.Current);
    }

    [Fact]
    public void A_slow_handshake_cuts_the_limit_once_per_target_interval_and_ends_slow_start()
    {
        var limit = AdmissionLimit.Adapting(initial: 100, min: 2, max: 1000, Target);
        var now = TimeSpan.FromSeconds(10);
        limit.OnSample(Target + Fast, now);
        Assert.Equal(70, limit.Current);

        // The handshakes admitted under the old limit report their congestion too: no further cut for them.
        for (var i = 0; i < 50; i++)
        {
            limit.OnSample(Target * 2, now + TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(70, limit.Current);
        limit.OnSample(Target * 2, now + Target);
        Assert.Equal(49, limit.Current);

        // After congestion the limit grows by about one per round of handshakes, not one per handshake.
        for (var i = 0; i < 51; i++)
        {
            limit.OnSample(Fast, now + Target * 2);
        }

        Assert.Equal(50, limit.Current);
    }

    [Fact]
    public void Slow_handshakes_never_take_the_limit_below_its_floor()
    {
        var limit = AdmissionLimit.Adapting(initial: 10, min: 6, max: 100, Target);
        for (var i = 0; i < 10; i++)
        {
            limit.OnSample(Target * 3, Target * (i + 1));
        }

        Assert.Equal(6, limit.Current);
    }

    [Fact]
    public void Handshakes_that_time_out_leave_an_adaptive_limit_where_it_was()
    {
        using var gate = new AdmissionGate(AdmissionLimit.Adapting(initial: 4, min: 1, max: 10, Target), 0, Sys.Scheduler);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(gate.TryEnter(TestActor, out var ticket));
            gate.Release(ticket, AdmissionGate.Outcome.TimedOut);
        }

        // A stalled peer says nothing about load: four dead agents must not slow everyone else's reconnect.
        Assert.Equal(4, gate.Limit);
    }

    [Fact]
    public void Slots_are_granted_on_the_spot_up_to_the_limit_then_in_arrival_order_as_they_free()
    {
        using var gate = new AdmissionGate(AdmissionLimit.Fixed(2), 0, Sys.Scheduler);
        var queued = CreateTestProbe();
        Assert.True(gate.TryEnter(TestActor, out var first));
        Assert.True(gate.TryEnter(TestActor, out var second));
        Assert.False(gate.TryEnter(queued.Ref, out var third));
        Assert.False(gate.TryEnter(queued.Ref, out var fourth));
        Assert.Equal((2, 2), (gate.Active, gate.Queued));

        gate.Release(first, AdmissionGate.Outcome.Completed);
        Assert.Equal(third, queued.ExpectMsg<AdmissionGate.SlotGranted>().Ticket);
        gate.Release(first); // idempotent: frees nothing more
        queued.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        gate.Release(second, AdmissionGate.Outcome.TimedOut);
        Assert.Equal(fourth, queued.ExpectMsg<AdmissionGate.SlotGranted>().Ticket);
        Assert.Equal((2, 0), (gate.Active, gate.Queued));
    }

    [Fact]
    public void A_withdrawn_request_is_never_granted()
    {
        using var gate = new AdmissionGate(AdmissionLimit.Fixed(1), 0, Sys.Scheduler);
        var queued = CreateTestProbe();
        Assert.True(gate.TryEnter(TestActor, out var held));
        Assert.False(gate.TryEnter(queued.Ref, out var withdrawn));
        Assert.False(gate.TryEnter(queued.Ref, out var waiting));

        gate.Release(withdrawn);
        gate.Release(held);
        Assert.Equal(waiting, queued.ExpectMsg<AdmissionGate.SlotGranted>().Ticket);
        queued.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_rate_limit_spreads_grants_over_time_even_with_slots_free()
    {
        using var gate = new AdmissionGate(AdmissionLimit.Fixed(100), handshakesPerSecond: 20, Sys.Scheduler);
        var started = DateTime.UtcNow;
        Assert.True(gate.TryEnter(TestActor, out _));
        for (var i = 0; i < 4; i++)
        {
            Assert.False(gate.TryEnter(TestActor, out _));
        }

        for (var i = 0; i < 4; i++)
        {
            ExpectMsg<AdmissionGate.SlotGranted>(TimeSpan.FromSeconds(5));
        }

        // Four more at 20 per second take at least 150 ms (a loaded machine only makes it longer).
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void Fast_outcomes_raise_an_adaptive_gate_so_more_queued_endpoints_run_at_once()
    {
        using var gate = new AdmissionGate(AdmissionLimit.Adapting(initial: 1, min: 1, max: 10, Target), 0, Sys.Scheduler);
        Assert.True(gate.TryEnter(TestActor, out var first));
        var queued = CreateTestProbe();
        for (var i = 0; i < 3; i++)
        {
            Assert.False(gate.TryEnter(queued.Ref, out _));
        }

        gate.Release(first, AdmissionGate.Outcome.Completed);
        // The limit went from 1 to 2 on a fast outcome: two of the queued start, not one.
        queued.ExpectMsg<AdmissionGate.SlotGranted>();
        queued.ExpectMsg<AdmissionGate.SlotGranted>();
        Assert.Equal(2, gate.Limit);
    }
}
