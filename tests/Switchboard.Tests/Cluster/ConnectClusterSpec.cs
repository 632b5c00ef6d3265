using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Xunit.Abstractions;

namespace Switchboard.Tests.Cluster;

/// <summary>
/// <c>switchboard connect</c> as cluster nodes: two daemon processes whose HOCON names the same seed nodes
/// form a cluster (remoting over mutual TLS on the master's certificate), spread the fleet's endpoints
/// between them, and each one's status file shows the whole cluster. One is stopped with SIGTERM: it
/// leaves, hands its endpoints off, and the other resumes them with the replicated sessions.
/// </summary>
[Collection(Stress.StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class ConnectClusterSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Agents = 60;

    private AgentFleet _fleet = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _fleet = await AgentFleet.StartAsync(Stress.StressPki.Layout, Agents, port: 0);
        _directory = Directory.CreateTempSubdirectory("connect-cluster-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Two_daemons_share_the_endpoints_report_the_cluster_and_a_stopped_ones_endpoints_resume_on_the_other()
    {
        var ports = new[] { FreePort(), FreePort() };
        await using var first = Daemon.Start(WriteConfig(0, ports), Path.Combine(_directory, "status-0.json"));
        await using var second = Daemon.Start(WriteConfig(1, ports), Path.Combine(_directory, "status-1.json"));

        // The first daemon up takes every shard; rebalancing then moves some to the second. Settled: every
        // endpoint connected, each node running at least a quarter.
        var both = await AwaitStatus(first, s => Cluster(s).GetProperty("connected").GetInt32() == Agents
                                                 && Nodes(s).Length == 2
                                                 && Nodes(s).All(n => n.GetProperty("connected").GetInt32() >= Agents / 4 && n.GetProperty("connected").GetInt32() == n.GetProperty("endpoints").GetInt32()));
        var secondNode = Nodes(both).Single(n => n.GetProperty("node").GetString()!.EndsWith($":{ports[1]}", StringComparison.Ordinal));
        var onSecond = secondNode.GetProperty("endpoints").GetInt32();
        var onFirst = both.GetProperty("endpoints").GetInt32();
        await AwaitStatus(second, s => Cluster(s).GetProperty("connected").GetInt32() == Agents);
        output.WriteLine($"endpoints: {onFirst} on the first daemon, {onSecond} on the second; cluster connected {Cluster(both).GetProperty("connected")}");
        Assert.Equal(Agents, onFirst + onSecond);
        Assert.True(onFirst > 0 && onSecond > 0, $"{onFirst} + {onSecond}: one daemon runs nothing");
        Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links));

        // SIGTERM: the second leaves the cluster, handing its endpoints off (sessions written first).
        var resumedBefore = both.GetProperty("handshakes").GetProperty("resumed").GetInt64();
        second.Signal("TERM");
        Assert.Equal(0, await second.ExitAsync(TimeSpan.FromSeconds(30)));
        var alone = await AwaitStatus(first, s => s.GetProperty("connected").GetInt32() == Agents && Cluster(s).GetProperty("nodes").GetArrayLength() == 1);
        var resumed = alone.GetProperty("handshakes").GetProperty("resumed").GetInt64() - resumedBefore;
        output.WriteLine($"after the second daemon left: {alone.GetProperty("connected")} connected on the first, {resumed} of {onSecond} moved endpoints resumed");
        Assert.True(resumed >= onSecond * 95 / 100, $"{resumed} of {onSecond} moved endpoints resumed");
        Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links));
        Assert.Contains("cluster node akka.ssl.tcp://switchboard@127.0.0.1:", first.Stdout);
    }

    private static JsonElement Cluster(JsonElement status) => status.GetProperty("cluster");

    private static JsonElement[] Nodes(JsonElement status) => [.. Cluster(status).GetProperty("nodes").EnumerateArray()];

    private static async Task<JsonElement> AwaitStatus(Daemon daemon, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually.AssertAsync(async () =>
        {
            Assert.False(daemon.HasExited, $"the daemon exited: {daemon.Stdout}\n{daemon.Stderr}");
            last = JsonDocument.Parse(await File.ReadAllTextAsync(daemon.StatusFile)).RootElement;
            Assert.True(last.TryGetProperty("cluster", out _) && condition(last), $"status file: {last}");
        }, TimeSpan.FromSeconds(60));
        return last;
    }

    private string WriteConfig(int index, int[] ports)
    {
        var pki = Stress.StressPki.Layout;
        var endpoints = string.Join(",\n", _fleet.Endpoints().Select(e => $"{{ name = \"{e.Name}\", host = \"{e.Host}\", port = {e.Port} }}"));
        var path = Path.Combine(_directory, $"node-{index}.conf");
        File.WriteAllText(path, $$"""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{ports[index]}}, enable-ssl = on }
              cluster.seed-nodes = ["akka.ssl.tcp://switchboard@127.0.0.1:{{ports[0]}}"]
              # Two masters cannot outvote each other; this spec stops one gracefully, which needs no vote.
              cluster.split-brain-resolver.active-strategy = keep-oldest
              cluster.sharding.rebalance-interval = 2s
            }
            switchboard {
              tls { ca = "{{pki.CaCertificate}}", certificate = "{{pki.MasterCertificate}}", private-key = "{{pki.MasterKey}}" }
              backoff { min = 100ms, max = 2s }
              cluster { replicate-sessions = on, reconcile-interval = 2s, replication.flush-interval = 200ms }
              endpoints = [
            {{endpoints}}
              ]
            }
            """);
        return path;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A <c>switchboard connect</c> process, killed at the end if it still runs.</summary>
    private sealed class Daemon : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();

        private Daemon(Process process, string statusFile)
        {
            _process = process;
            StatusFile = statusFile;
            process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
            process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string StatusFile { get; }

        public bool HasExited => _process.HasExited;

        public string Stdout => Read(_stdout);

        public string Stderr => Read(_stderr);

        public static Daemon Start(string config, string statusFile)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { CliBinary.Dll, "connect", "--config", config, "--status-file", statusFile })
            {
                info.ArgumentList.Add(argument);
            }

            return new Daemon(Process.Start(info)!, statusFile);
        }

        public void Signal(string signal)
        {
            using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString()])!;
            kill.WaitForExit(5000);
        }

        public async Task<int> ExitAsync(TimeSpan within)
        {
            using var limit = new CancellationTokenSource(within);
            await _process.WaitForExitAsync(limit.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private static void Append(StringBuilder buffer, string? line)
        {
            lock (buffer)
            {
                buffer.AppendLine(line);
            }
        }

        private static string Read(StringBuilder buffer)
        {
            lock (buffer)
            {
                return buffer.ToString();
            }
        }
    }
}
