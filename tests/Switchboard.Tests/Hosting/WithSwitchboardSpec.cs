using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Configuration;
using Switchboard.Hosting;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Hosting;

/// <summary>Switchboard inside a plain generic host (the Hosting testkit needs xunit v3).</summary>
public sealed class WithSwitchboardSpec
{
    [Fact]
    public void Options_render_as_HOCON_that_the_loader_reads_back()
    {
        var pki = TestPki.Instance.Layout;
        var options = new SwitchboardOptions
        {
            Ca = pki.CaCertificate,
            Certificate = pki.MasterCertificate,
            PrivateKey = pki.MasterKey,
            Endpoints = [new EndpointSettings("agent-00001", "127.10.0.1", 5665)],
            IoActors = 3,
            HandshakeTimeout = TimeSpan.FromSeconds(4),
            PersistPath = "/tmp/with \"quotes\"/x",
            Acknowledgements = false,
        };
        var config = Akka.Configuration.ConfigurationFactory.ParseString(options.ToHocon()).WithFallback(SettingsLoader.LoadReference());
        var settings = SettingsLoader.Load(config);
        Assert.Equal(3, settings.Io.Actors);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.Connection.HandshakeTimeout);
        Assert.Equal("/tmp/with \"quotes\"/x", settings.Resumption.PersistPath);
        Assert.False(settings.Connection.Acknowledgements);
        Assert.Equal(new EndpointSettings("agent-00001", "127.10.0.1", 5665), Assert.Single(settings.Endpoints));
    }

    [Fact]
    public async Task The_supervisor_is_in_the_registry_connects_the_endpoints_and_reports_healthy()
    {
        await using var fleet = await AgentFleet.StartAsync(TestPki.Instance.Layout, 2, port: 0);
        var pki = TestPki.Instance.Layout;
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddHealthChecks().Services.AddAkka("hosted", builder =>
                builder.WithSwitchboard(options =>
                {
                    options.Ca = pki.CaCertificate;
                    options.Certificate = pki.MasterCertificate;
                    options.PrivateKey = pki.MasterKey;
                    options.Endpoints = fleet.Endpoints().ToList();
                })))
            .Build();
        await host.StartAsync();
        try
        {
            var supervisor = host.Services.GetRequiredService<IRequiredActor<SwitchboardSupervisor>>();
            var actor = await supervisor.GetAsync();
            await Eventually.AssertAsync(async () =>
                Assert.Equal(2, (await actor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3))).Connected), TimeSpan.FromSeconds(10));
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("switchboard"));
            var entry = Assert.Single(health.Entries);
            Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
            Assert.Equal("2/2 endpoints connected", entry.Value.Description);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Switchboards_log_events_reach_the_hosts_ILogger_under_their_class_as_category()
    {
        var pki = TestPki.Instance.Layout;
        var directory = Directory.CreateTempSubdirectory("switchboard-hosted-log-").FullName;
        var sessions = Path.Combine(directory, "switchboard.sessions");
        await File.WriteAllBytesAsync(sessions, "not a session file"u8.ToArray());
        File.SetUnixFileMode(sessions, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var captured = new CapturingLoggerProvider();
        using var host = new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(captured).SetMinimumLevel(LogLevel.Debug))
            .ConfigureServices(services => services.AddAkka("hosted-log", builder =>
                builder.WithSwitchboard(options =>
                {
                    options.Ca = pki.CaCertificate;
                    options.Certificate = pki.MasterCertificate;
                    options.PrivateKey = pki.MasterKey;
                    options.PersistPath = sessions;
                })))
            .Build();
        await host.StartAsync();
        try
        {
            // The cache refuses the file it was given, and says so through the host's logger.
            await Eventually.AssertAsync(() =>
            {
                var warning = captured.Events.FirstOrDefault(e => e.Level == LogLevel.Warning && e.Message.Contains("ignoring session file", StringComparison.Ordinal));
                Assert.True(warning is not null, $"no warning about the session file among: {string.Join(" | ", captured.Events.Select(e => $"{e.Category}: {e.Message}"))}");
                Assert.Equal("Switchboard.Resumption.ResumptionCacheActor", warning.Category);
            }, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record LogEvent(string Category, LogLevel Level, string Message);

    /// <summary>A host's logging provider that keeps every event, as a test sees them.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> Events => _events.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<LogEvent> events) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                events.Enqueue(new LogEvent(category, logLevel, formatter(state, exception)));
        }
    }
}
