using Akka.Actor;
using Switchboard.Supervision;

namespace Switchboard.Tests.Stress;

/// <summary>Polls the supervisor's status until a condition holds, bounded in time; the failure message shows why not.</summary>
internal static class StatusPolling
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static Task<StatusReport> Status(IActorRef supervisor) =>
        supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5));

    public static async Task<StatusReport> Until(IActorRef supervisor, Func<StatusReport, bool> condition, TimeSpan within, string what, Action<StatusReport>? observe = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var status = await Status(supervisor);
            observe?.Invoke(status);
            if (condition(status))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what}: not within {within.TotalSeconds:0.#} s; {Describe(status)}; {ThreadPoolState()}; {await Responsiveness(supervisor)}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>A stalled run is often a starved thread pool (socket completions run there): say so in the failure.</summary>
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
