using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Configuration;
using Switchboard.Cluster;
using Switchboard.Bench.Storm;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Switchboard.Bench.Cluster;

/// <summary>
/// One master of the <c>cluster</c> benchmark, in its own process: joins the cluster on loopback (mutual
/// TLS between nodes), starts Switchboard.Cluster once the cluster has all its members, and writes a
/// <see cref="NodeSnapshot"/> every 250 ms until SIGTERM (or the kill -9 the benchmark sends).
/// </summary>
internal static class ClusterNodeWorker
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(NodePlan plan)
    {
        var pki = new PkiLayout(plan.PkiDirectory);
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{plan.Port}}, enable-ssl = on }
              cluster {
                seed-nodes = ["akka.ssl.tcp://switchboard@127.0.0.1:{{plan.SeedPort}}"]
              }
            }
            switchboard.cluster.replicate-sessions = {{(plan.Replicate ? "on" : "off")}}
            """)
            .WithFallback(pki.MasterTlsConfig())
            .WithFallback(SettingsLoader.DaemonAkkaDefaults())
            .WithFallback(SwitchboardCluster.DefaultConfig)
            .WithFallback(SettingsLoader.LoadReference());
        var settings = SettingsLoader.Load(config) with { Endpoints = [.. AgentFleet.Endpoints(plan.Endpoints, plan.FleetPort)] };
        var system = ActorSystem.Create("switchboard", ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), RemotingTls.Setup(settings.Tls)));
        var events = new ClusterEvents(system);
        using var meters = new ReplicaMeters();
        // Switchboard starts once the cluster has all its masters, so the cold phase spreads the endpoints from
        // the start. (Not akka.cluster.min-nr-of-members: with it, a cluster that had lost its oldest member
        // re-homed nothing until the member count was back, seen in this benchmark's first runs.)
        var cluster = AkkaCluster.Get(system);
        SwitchboardCluster? node = null;

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });

        // Open-loop, every 50 ms from the moment Switchboard runs here (as the storm probes a manager); each
        // latency goes to a file of its own with the Unix time it was due, for the benchmark to cut into phases.
        var clock = Stopwatch.StartNew();
        var origin = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        StatusProbe<StatusReport>? probe = null;
        Task probing = Task.CompletedTask;
        using var stopProbing = new CancellationTokenSource();
        var latencyLog = plan.StatusPath + ".latencies";
        var logged = 0;
        using var timer = new PeriodicTimer(Tick);
        while (!stop.Task.IsCompleted)
        {
            await Task.WhenAny(timer.WaitForNextTickAsync().AsTask(), stop.Task);
            if (stop.Task.IsCompleted)
            {
                break;
            }
            if (node is null && cluster.SelfMember.Status == MemberStatus.Up && cluster.State.Members.Count(m => m.Status == MemberStatus.Up) >= plan.MinMembers)
            {
                var started = SwitchboardCluster.Start(system, settings);
                node = started;
                probe = new StatusProbe<StatusReport>(
                    token => started.Runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, token), StatusInterval, StatusTimeout, clock);
                probing = Task.Run(() => probe.RunAsync(stopProbing.Token));
            }

            if (probe is not null)
            {
                var completed = probe.CompletedSince(logged);
                logged += completed.Count;
                await File.AppendAllLinesAsync(latencyLog, completed.Select(q =>
                    FormattableString.Invariant($"{origin + (long)q.Due.TotalMilliseconds} {q.Ms:F2}")));
            }

            var oldest = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault();
            var snapshot = NodeSnapshot.From(probe?.Latest, events, meters, oldest?.Address == cluster.SelfAddress);
            var temp = plan.StatusPath + ".tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(snapshot));
            File.Move(temp, plan.StatusPath, overwrite: true);
        }

        await stopProbing.CancelAsync();
        await probing;
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        return 0;
    }

    /// <summary>When this node first saw another become unreachable, and when one was removed (downed), in Unix ms.</summary>
    internal sealed class ClusterEvents
    {
        private long _unreachableAt;
        private long _removedAt;

        public ClusterEvents(ActorSystem system) =>
            system.ActorOf(Props.Create(() => new Listener(this)), "bench-cluster-events");

        public long UnreachableAt => Interlocked.Read(ref _unreachableAt);

        public long RemovedAt => Interlocked.Read(ref _removedAt);

        private sealed class Listener : ReceiveActor
        {
            public Listener(ClusterEvents events)
            {
                Receive<ClusterEvent.UnreachableMember>(_ => Interlocked.CompareExchange(ref events._unreachableAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0));
                Receive<ClusterEvent.MemberRemoved>(_ => Interlocked.CompareExchange(ref events._removedAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0));
                Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
                Receive<ClusterEvent.CurrentClusterState>(_ => { });
            }

            protected override void PreStart() => AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
        }
    }

    /// <summary>
    /// Replication as Switchboard's own meter counts it (writes by result, bytes written, reads by result) and
    /// the node's handshakes (full, resumed, failed): cumulative, unlike the supervisor's totals, which cover
    /// only the endpoints the node runs now and so drop when endpoints move away.
    /// </summary>
    internal sealed class ReplicaMeters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public ReplicaMeters()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SwitchboardMetrics.MeterName
                    && (instrument.Name.StartsWith("switchboard.cluster.session_replica.", StringComparison.Ordinal) || instrument.Name == "switchboard.tls.handshakes"))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var name = instrument.Name == "switchboard.tls.handshakes" ? HandshakeKind(tags) : instrument.Name["switchboard.cluster.session_replica.".Length..];
                if (instrument.Name != "switchboard.tls.handshakes")
                {
                    foreach (var tag in tags)
                    {
                        name += "." + tag.Value;
                    }
                }

                lock (_counts)
                {
                    _counts[name] = _counts.GetValueOrDefault(name) + value;
                }
            });
            _listener.Start();
        }

        private static string HandshakeKind(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var success = false;
            var resumed = false;
            foreach (var tag in tags)
            {
                success |= tag.Key == "result" && Equals(tag.Value, "success");
                resumed |= tag.Key == "resumed" && Equals(tag.Value, true);
            }

            return !success ? "handshakes.failed" : resumed ? "handshakes.resumed" : "handshakes.full";
        }

        public Dictionary<string, long> Snapshot()
        {
            lock (_counts)
            {
                return new Dictionary<string, long>(_counts);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>What a node worker is told to be.</summary>
internal sealed record NodePlan(string PkiDirectory, int Endpoints, int FleetPort, int Port, int SeedPort, int MinMembers, bool Replicate, string StatusPath);

/// <summary>A node worker's state, as the benchmark reads it from its status file.</summary>
internal sealed record NodeSnapshot(
    bool Started, bool Oldest, int Endpoints, int Connected, int ResumedOnly,
    long UnreachableAtMs, long RemovedAtMs, Dictionary<string, long> Meters, long AtMs)
{
    public static NodeSnapshot From(StatusReport? status, ClusterNodeWorker.ClusterEvents events, ClusterNodeWorker.ReplicaMeters meters, bool oldest) =>
        new(status is not null,
            oldest,
            status?.Endpoints.Length ?? 0,
            status?.Connected ?? 0,
            // A moved endpoint is new on its node: resumed there without ever paying a full handshake.
            status?.Endpoints.Count(e => e.State == EndpointState.Connected && e.FullHandshakes == 0 && e.ResumedHandshakes > 0) ?? 0,
            events.UnreachableAt,
            events.RemovedAt,
            meters.Snapshot(),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
