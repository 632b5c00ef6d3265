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
                Assert.Fail($"{what}: not within {within.TotalSeconds:0.#} s; {Describe(status)}");
            }

            await Task.Delay(Interval);
        }
    }

    public static string Describe(StatusReport status)
    {
        var counts = string.Join(", ", status.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key.ToString().ToLowerInvariant()} {c.Value}"));
        var odd = status.Endpoints.Where(e => e.State != EndpointState.Connected).Take(5)
            .Select(e => $"{e.Name} {e.State} attempts={e.Attempts} error={e.LastError}");
        return $"{status.Endpoints.Length} endpoints ({counts}); not connected: {string.Join("; ", odd)}";
    }
}
