using System.Net;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Supervision;
using Switchboard.Tls;

namespace Switchboard.Cli.Daemon;

/// <summary>
/// What an operator plugs into: one HTTP listener (Kestrel) with the Prometheus scrape endpoint
/// (Switchboard's meter, and the runtime's and process's from .NET's own <c>System.Runtime</c> meter),
/// <c>/status</c> (the status file's document), <c>/status/endpoints/{name}</c>, and <c>/health/live</c> and
/// <c>/health/ready</c> on ASP.NET Core's health checks; and, when configured, an OTLP/HTTP push of the
/// same metrics. Everything it serves comes from the daemon's once-a-second snapshot.
/// </summary>
internal sealed class OperationsServer : IAsyncDisposable
{
    // A daemon whose loop has not refreshed its status for this long is not live: its supervisor is stuck.
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(10);

    private readonly WebApplication? _app;
    private readonly MeterProvider? _pushOnly;

    private OperationsServer(WebApplication? app, MeterProvider? pushOnly, Uri? address)
    {
        _app = app;
        _pushOnly = pushOnly;
        Address = address;
    }

    /// <summary>Where the HTTP listener is (the real port when 0 was asked for); null = none.</summary>
    public Uri? Address { get; }

    /// <summary>Starts what <paramref name="metrics"/> asks for; null when it asks for nothing.</summary>
    /// <param name="node">A cluster node's remoting address, exported as the resource's <c>service.instance.id</c>; null on a single node.</param>
    /// <param name="tls">The master's certificate, key and CA bundle: the listener's own when <see cref="MetricsSettings.MutualTls"/>.</param>
    public static async Task<OperationsServer?> StartAsync(MetricsSettings metrics, TlsSettings tls, DaemonStatus status, string? node = null)
    {
        if (metrics.Prometheus is null && metrics.OtlpEndpoint is null)
        {
            return null;
        }

        if (metrics.Prometheus is not { } bind)
        {
            var builder = Sdk.CreateMeterProviderBuilder();
            Configure(builder, metrics, node);
            return new OperationsServer(null, builder.Build(), null);
        }

        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders(); // the daemon prints its own lines; Kestrel's would interleave with them
        web.WebHost.UseKestrel(kestrel => kestrel.Listen(bind, listen =>
        {
            if (metrics.MutualTls)
            {
                UseMutualTls(listen, tls);
            }
        }));
        web.Services.AddOpenTelemetry().WithMetrics(builder =>
        {
            Configure(builder, metrics, node);
            builder.AddPrometheusExporter();
        });
        web.Services.AddHealthChecks()
            .AddCheck("live", () => Live(status), tags: ["live"])
            .AddCheck("ready", () => Ready(status, metrics.ReadyShare), tags: ["ready"]);
        var app = web.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint();
        app.MapGet("/status", () => status.Latest is { } latest
            ? Results.Bytes(latest.Rendered, "application/json")
            : Results.Problem("the daemon has no status yet", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/status/endpoints/{name}", (string name) => Endpoint(status, name));
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live"), ResponseWriter = WriteHealth });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteHealth });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return new OperationsServer(app, null, address is null ? null : new Uri(address));
    }

    /// <summary>HTTPS on the master's certificate; a client without a certificate from the CA bundle never gets a request through.</summary>
    private static void UseMutualTls(ListenOptions listen, TlsSettings tls)
    {
        var trusted = CaBundle.Load(tls.Ca);
        listen.UseHttps(https =>
        {
            https.ServerCertificate = X509Certificate2.CreateFromPemFile(tls.Certificate, tls.PrivateKey);
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (client, _, _) => trusted.Verifies(client, out _);
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _pushOnly?.Dispose();
    }

    private static void Configure(MeterProviderBuilder builder, MetricsSettings metrics, string? node)
    {
        // Every metric a node exports says which node: OTLP carries it on the resource, Prometheus in target_info
        // (and the scrape's own instance label).
        builder.ConfigureResource(resource => resource.AddService("switchboard", serviceInstanceId: node, autoGenerateServiceInstanceId: false));
        // System.Runtime: .NET's own runtime and process metrics (GC, thread pool, CPU time, working set).
        builder.AddMeter(SwitchboardMetrics.MeterName, "System.Runtime");
        if (metrics.OtlpEndpoint is { } endpoint)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)metrics.OtlpInterval.TotalMilliseconds;
            });
        }
    }

    private static HealthCheckResult Live(DaemonStatus status) => status.Latest switch
    {
        null => HealthCheckResult.Healthy("starting"),
        { } latest when DateTimeOffset.UtcNow - latest.At > Stale =>
            HealthCheckResult.Unhealthy($"the supervisor has not answered a status query for {(DateTimeOffset.UtcNow - latest.At).TotalSeconds:F0} s"),
        _ => HealthCheckResult.Healthy("running"),
    };

    private static HealthCheckResult Ready(DaemonStatus status, double share)
    {
        if (status.Latest is not { } latest)
        {
            return HealthCheckResult.Unhealthy("starting: no status yet");
        }

        var total = latest.Report.Endpoints.Length;
        var connected = latest.Report.Connected;
        var description = $"{connected}/{total} endpoints connected (ready at {share:P0})";
        return connected >= share * total ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description);
    }

    private static IResult Endpoint(DaemonStatus status, string name)
    {
        if (status.Latest?.Report.Endpoints.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } endpoint)
        {
            return Results.NotFound(new { error = $"no endpoint named '{name}'" });
        }

        return Results.Json(new
        {
            name = endpoint.Name,
            state = endpoint.State.ToString().ToLowerInvariant(),
            attempts = endpoint.Attempts,
            last_error = endpoint.LastError,
            next_retry = endpoint.NextRetryAt,
            full_handshakes = endpoint.FullHandshakes,
            resumed_handshakes = endpoint.ResumedHandshakes,
            peer_certificate_not_after = endpoint.PeerCertificateNotAfter,
        });
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var entry = report.Entries.Values.FirstOrDefault();
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            description = entry.Description,
        }));
    }
}
