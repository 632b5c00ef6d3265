using Akka.Actor;
using Akka.TestKit;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Runs a scenario under EventFilters that expect no ERROR event, in the master's actor system and the
/// fleet's: an actor that throws (and restarts) logs one, so "no errors" also means "no restart loop".
/// The fleet's system must log through the TestKit's listener (<see cref="StressConfig.Fleet"/> says so).
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
    public static Task InAsync(TestKitBase kit, ActorSystem fleet, Func<Task> scenario, TimeSpan within) =>
        kit.CreateEventFilter(fleet).Error().ExpectAsync(0,
            () => kit.EventFilter.Error().ExpectAsync(0, () => scenario().WaitAsync(within), Settle),
            Settle);
}
