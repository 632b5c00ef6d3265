using Akka.Actor;
using Akka.Configuration;
using Switchboard.Cluster;
using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

/// <summary><c>switchboard.cluster</c>: replicated sessions are secrets, so they are refused without mutual TLS between the masters.</summary>
public sealed class ClusterSettingsSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Replication_is_off_by_default_with_a_one_second_flush()
    {
        var cluster = _dir.Read(string.Empty).Settings!.Cluster!;

        Assert.False(cluster.ReplicateSessions);
        Assert.Equal(TimeSpan.FromSeconds(1), cluster.FlushInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), cluster.Timeout);
        Assert.Equal(300, cluster.MaxShards);
    }

    [Theory]
    [InlineData("", "akka.remote.dot-netty.tcp.enable-ssl is off")]
    [InlineData("akka.remote.dot-netty.tcp.enable-ssl = off", "akka.remote.dot-netty.tcp.enable-ssl is off")]
    [InlineData("akka.remote.dot-netty.tcp { enable-ssl = on, ssl.suppress-validation = on }", "akka.remote.dot-netty.tcp.ssl.suppress-validation is on")]
    [InlineData("akka.remote.dot-netty.tcp { enable-ssl = on, ssl.require-mutual-authentication = off }", "akka.remote.dot-netty.tcp.ssl.require-mutual-authentication is off")]
    public void Replicated_sessions_without_mutual_tls_remoting_are_refused_naming_what_is_missing(string remoting, string missing)
    {
        var path = _dir.Write($"switchboard {{\n{ConfigDirectory.TlsBlock}\ncluster.replicate-sessions = on\n}}\n{remoting}\n");

        var result = SettingsLoader.ReadFile(path);

        var problem = ProblemAssert.Single(result, "switchboard.cluster.replicate-sessions", "may only travel over Akka.Remote with mutual TLS");
        Assert.Contains(missing, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicated_sessions_over_mutual_tls_remoting_are_accepted()
    {
        var path = _dir.Write($"switchboard {{\n{ConfigDirectory.TlsBlock}\ncluster {{ replicate-sessions = on, replication.flush-interval = 250ms }}\n}}\nakka.remote.dot-netty.tcp.enable-ssl = on\n");

        var cluster = SettingsLoader.ReadFile(path).GetValidOrThrow().Cluster!;

        Assert.True(cluster.ReplicateSessions);
        Assert.Equal(TimeSpan.FromMilliseconds(250), cluster.FlushInterval);
    }

    [Fact]
    public async Task Start_refuses_replication_on_a_system_whose_remoting_is_plain_tcp()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(SwitchboardCluster.DefaultConfig);
        var system = ActorSystem.Create("plain-remoting", config);
        try
        {
            var settings = _dir.Read(string.Empty).GetValidOrThrow();
            var replicated = settings with { Cluster = settings.Cluster! with { ReplicateSessions = true } };

            var refused = Assert.Throws<InvalidOperationException>(() => SwitchboardCluster.Start(system, replicated));

            Assert.Contains("akka.remote.dot-netty.tcp.enable-ssl is off", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
