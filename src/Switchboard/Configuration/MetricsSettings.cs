using System.Net;

namespace Switchboard.Configuration;

/// <summary><c>switchboard.metrics</c>: what a daemon exports for operators. The library itself only validates it.</summary>
/// <param name="Prometheus">Where the HTTP listener for /metrics, /status and /health binds; null = off.</param>
/// <param name="OtlpEndpoint">Where metrics are pushed over OTLP/HTTP; null = off.</param>
/// <param name="ReadyShare">/health/ready answers 200 once this share of the endpoints is connected.</param>
/// <param name="MutualTls">The listener speaks HTTPS with the master's certificate and requires a client certificate from the CA bundle.</param>
public sealed record MetricsSettings(IPEndPoint? Prometheus, Uri? OtlpEndpoint, TimeSpan OtlpInterval, double ReadyShare, bool MutualTls = false)
{
    public static readonly MetricsSettings Off = new(null, null, TimeSpan.FromSeconds(10), 0.9);
}
