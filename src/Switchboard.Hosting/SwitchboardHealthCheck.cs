using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Supervision;

namespace Switchboard.Hosting;

/// <summary>
/// Healthy when every endpoint is connected; degraded while some are down (the daemon is working on
/// it, with backoff); unhealthy only when the supervisor does not answer or no endpoint is connected.
/// </summary>
internal sealed class SwitchboardHealthCheck : IAkkaHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!context.ActorRegistry.TryGet<SwitchboardSupervisor>(out var supervisor))
        {
            return HealthCheckResult.Unhealthy("Switchboard supervisor is not registered");
        }

        StatusReport status;
        try
        {
            status = await supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("Switchboard supervisor did not answer within 5 s", e);
        }

        var total = status.Endpoints.Length;
        var data = new Dictionary<string, object>
        {
            ["endpoints"] = total,
            ["connected"] = status.Connected,
            ["backoff"] = status.Count(EndpointState.Backoff),
        };
        var description = $"{status.Connected}/{total} endpoints connected";
        if (status.Connected == total)
        {
            return HealthCheckResult.Healthy(description, data);
        }

        return status.Connected == 0
            ? HealthCheckResult.Unhealthy(description, data: data)
            : HealthCheckResult.Degraded(description, data: data);
    }
}
