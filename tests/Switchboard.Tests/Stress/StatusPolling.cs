using Akka.Actor;
using Akka.TestKit;
using Switchboard.Supervision;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Waits, the TestKit way, until the supervisor's status satisfies a condition; a failure says what the last
/// status showed, and whether the thread pool and the scheduler still answered (a stalled run is often a
/// starved pool: socket completions run there).
/// </summary>
internal static class StatusPolling
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static Task<StatusReport> Status(IActorRef supervisor) =>
        supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5));

    public static async Task<StatusReport> Until(this TestKitBase kit, IActorRef supervisor, Func<StatusReport, bool> condition, TimeSpan within, string what, Action<StatusReport>? observe = null)
    {
        StatusReport? last = null;
        try
        {
            await kit.AwaitAssertAsync(async () =>
            {
                last = await Status(supervisor);
                observe?.Invoke(last);
                Assert.True(condition(last), $"{what}: {Describe(last)}");
            }, within, Interval);
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: not within {within.TotalSeconds:0.#} s; {(last is null ? e.Message : Describe(last))}; {ThreadPoolState()}; {await Responsiveness(supervisor)}");
        }

        return last!;
    }

    public static string ThreadPoolState() =>
        $"thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items pending, {ThreadPool.CompletedWorkItemCount} completed; process threads {ProcessProbe.Threads()}";

    /// <summary>Which part of the machinery still answers: the thread pool, the actor system's scheduler.</summary>
    private static async Task<string> Responsiveness(IActorRef supervisor)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pool = Task.Run(() => clock.Elapsed);
        var scheduled = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var system = ((ActorRefWithCell)supervisor).Underlying.System;
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(10), () => scheduled.TrySetResult(clock.Elapsed));
        // The limit of a diagnostic, not a wait for a condition: a starved pool may never answer.
        var limit = Task.Delay(TimeSpan.FromSeconds(3));
        var poolAnswer = await Task.WhenAny(pool, limit) == pool ? $"{pool.Result.TotalMilliseconds:0} ms" : "no answer in 3 s";
        var schedulerAnswer = await Task.WhenAny(scheduled.Task, limit) == scheduled.Task ? $"{scheduled.Task.Result.TotalMilliseconds:0} ms" : "no answer in 3 s";
        return $"Task.Run answered after {poolAnswer}; the Akka scheduler after {schedulerAnswer}";
    }

    public static string Describe(StatusReport status)
    {
        var counts = string.Join(", ", status.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key.ToString().ToLowerInvariant()} {c.Value}"));
        var odd = status.Endpoints.Where(e => e.State != EndpointState.Connected).Take(5)
            .Select(e => $"{e.Name} {e.State} attempts={e.Attempts} error={e.LastError}");
        return $"{status.Endpoints.Length} endpoints ({counts}); not connected: {string.Join("; ", odd)}";
    }
}
