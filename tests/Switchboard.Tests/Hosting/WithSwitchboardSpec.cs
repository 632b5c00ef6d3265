using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
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
}
