using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Runs a scenario under EventFilters that expect no ERROR event, in the master's actor system and the
/// fleet's: an actor that throws (and restarts) logs one, so "no errors" also means "no restart loop".
/// The fleet's system must log through the TestKit's listener (<see cref="StressConfig.Fleet"/> says so).
/// When the filters catch one, the failure quotes it: which actor, what it said, and why.
/// </summary>
internal static class NoErrors
{
    /// <summary>
    /// How long after the scenario an error may still arrive and count. An EventFilter that expects none waits
    /// this whole span (nothing arriving is what it proves), so it is short; errors during the scenario count
    /// whenever they came.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <param name="within">Bound of the scenario itself.</param>
    public static async Task InAsync(TestKitBase kit, ActorSystem fleet, Func<Task> scenario, TimeSpan within)
    {
        var seen = new ConcurrentQueue<string>();
        var recorders = new[] { kit.Sys, fleet }.Select(system => (System: system, Recorder: system.ActorOf(Props.Create(() => new ErrorRecorder(seen)))))
            .ToArray();
        foreach (var (system, recorder) in recorders)
        {
            system.EventStream.Subscribe(recorder, typeof(Error));
        }

        try
        {
            await kit.CreateEventFilter(fleet).Error().ExpectAsync(0,
                () => kit.EventFilter.Error().ExpectAsync(0, () => scenario().WaitAsync(within), Settle),
                Settle);
        }
        catch (Exception e) when (!seen.IsEmpty)
        {
            throw new InvalidOperationException($"{e.Message}; the errors: {string.Join(" | ", seen.Take(5))}", e);
        }
        finally
        {
            foreach (var (system, recorder) in recorders)
            {
                system.EventStream.Unsubscribe(recorder);
                system.Stop(recorder);
            }
        }
    }

    private sealed class ErrorRecorder : ReceiveActor
    {
        public ErrorRecorder(ConcurrentQueue<string> seen) =>
            Receive<Error>(e => seen.Enqueue($"{e.LogSource}: {e.Message}{(e.Cause is null ? "" : $" ({e.Cause.GetType().Name}: {e.Cause.Message})")}"));
    }
}
