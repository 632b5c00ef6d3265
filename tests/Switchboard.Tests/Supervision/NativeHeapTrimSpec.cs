using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Switchboard.Tests.Support;
using Switchboard.Supervision;

namespace Switchboard.Tests.Supervision;

/// <summary>The native heap is trimmed once after a storm, when the admission gate has stayed quiet; never during one.</summary>
public sealed class NativeHeapTrimSpec : TestKit
{
    private static readonly Config VirtualTime = ConfigurationFactory.ParseString(
        """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = INFO
        """);

    private int _trims;

    public NativeHeapTrimSpec() : base(VirtualTime)
    {
    }

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    // Inline instead of on the thread pool, so what virtual time decided is settled when Advance returns.
    private AdmissionGate Gate(int limit = 8) =>
        new(AdmissionLimit.Fixed(limit), 0, Scheduler, new NativeHeapTrim(Scheduler, Sys.Log, () => { _trims++; return true; }, work => work()));

    /// <summary>Runs <paramref name="attempts"/> admitted attempts through <paramref name="gate"/>, <paramref name="inFlight"/> at a time.</summary>
    private void Storm(AdmissionGate gate, int attempts, int inFlight = 8)
    {
        for (var done = 0; done < attempts; done += inFlight)
        {
            var tickets = new List<long>();
            for (var i = 0; i < Math.Min(inFlight, attempts - done); i++)
            {
                Assert.True(gate.TryEnter(TestActor, out var ticket));
                tickets.Add(ticket);
            }

            tickets.ForEach(t => gate.Release(t, AdmissionGate.Outcome.Completed));
        }
    }

    [Fact]
    public void A_storm_is_followed_by_one_trim_once_the_gate_has_stayed_quiet()
    {
        using var gate = Gate();
        Storm(gate, 2 * NativeHeapTrim.MinAttempts);

        Scheduler.Advance(NativeHeapTrim.QuietPeriod - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _trims);
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _trims);

        Scheduler.Advance(NativeHeapTrim.QuietPeriod * 10);
        Assert.Equal(1, _trims);
    }

    [Fact]
    public void A_grant_in_the_quiet_period_calls_the_trim_off_until_the_gate_is_quiet_again()
    {
        using var gate = Gate();
        Storm(gate, NativeHeapTrim.MinAttempts);
        Scheduler.Advance(NativeHeapTrim.QuietPeriod / 2);
        Assert.True(gate.TryEnter(TestActor, out var straggler));

        Scheduler.Advance(NativeHeapTrim.QuietPeriod);
        Assert.Equal(0, _trims);

        gate.Release(straggler, AdmissionGate.Outcome.Completed);
        Scheduler.Advance(NativeHeapTrim.QuietPeriod);
        Assert.Equal(1, _trims);
    }

    [Fact]
    public void Nothing_is_trimmed_while_a_handshake_is_in_flight()
    {
        using var gate = Gate();
        Assert.True(gate.TryEnter(TestActor, out var held));
        Storm(gate, 2 * NativeHeapTrim.MinAttempts, inFlight: 4);

        Scheduler.Advance(NativeHeapTrim.QuietPeriod * 4);
        Assert.Equal(0, _trims);

        gate.Release(held, AdmissionGate.Outcome.Completed);
        Scheduler.Advance(NativeHeapTrim.QuietPeriod);
        Assert.Equal(1, _trims);
    }

    [Fact]
    public void A_few_reconnects_are_not_worth_a_trim_until_enough_have_added_up()
    {
        using var gate = Gate();
        Storm(gate, NativeHeapTrim.MinAttempts / 2);
        Scheduler.Advance(NativeHeapTrim.QuietPeriod * 2);
        Assert.Equal(0, _trims);

        Storm(gate, NativeHeapTrim.MinAttempts / 2);
        Scheduler.Advance(NativeHeapTrim.QuietPeriod);
        Assert.Equal(1, _trims);

        // The count starts again after a trim.
        Storm(gate, NativeHeapTrim.MinAttempts / 2);
        Scheduler.Advance(NativeHeapTrim.QuietPeriod * 2);
        Assert.Equal(1, _trims);
    }

    [Fact]
    public void The_trim_reaches_glibc_on_the_thread_pool()
    {
        var trim = new NativeHeapTrim(Scheduler, Sys.Log);
        using var gate = new AdmissionGate(AdmissionLimit.Fixed(8), 0, Scheduler, trim);
        Storm(gate, NativeHeapTrim.MinAttempts);

        EventFilter.Info(contains: $"Native heap trimmed after {NativeHeapTrim.MinAttempts} handshake attempts: resident memory")
            .ExpectOne(TimeSpan.FromSeconds(10), () => Scheduler.Advance(NativeHeapTrim.QuietPeriod));
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public void The_trim_is_on_by_default_and_can_be_turned_off()
    {
        Assert.True(Settings.Load().Io.TrimNativeHeap);
        Assert.False(Settings.Load("switchboard.io.trim-native-heap = off").Io.TrimNativeHeap);
    }
}
