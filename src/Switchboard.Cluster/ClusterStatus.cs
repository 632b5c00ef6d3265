using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Switchboard.Supervision;

namespace Switchboard.Cluster;

/// <summary>One master's share of the cluster's endpoints: what its supervisor reports, in a form that crosses the wire.</summary>
/// <param name="Node">The node's address (akka.ssl.tcp://system@host:port).</param>
/// <param name="Reachable">False when the node did not answer in time; its counts are then zero.</param>
public sealed record NodeStatus(string Node, bool Reachable, int Endpoints, int Connected, long FullHandshakes, long ResumedHandshakes, long FailedHandshakes);

/// <summary>The whole cluster: every Up member's <see cref="NodeStatus"/> and their totals.</summary>
public sealed record ClusterStatusReport(ImmutableArray<NodeStatus> Nodes)
{
    public int Endpoints => Nodes.Sum(n => n.Endpoints);

    public int Connected => Nodes.Sum(n => n.Connected);

    public long FullHandshakes => Nodes.Sum(n => n.FullHandshakes);

    public long ResumedHandshakes => Nodes.Sum(n => n.ResumedHandshakes);

    public long FailedHandshakes => Nodes.Sum(n => n.FailedHandshakes);
}

/// <summary>Asks a node's cluster status actor for the whole cluster; answered with a <see cref="ClusterStatusReport"/>.</summary>
/// <param name="Timeout">How long each member may take to answer before it is listed as unreachable.</param>
public sealed record GetClusterStatus(TimeSpan Timeout);

/// <summary>
/// Answers status for the whole cluster from any node: asks the same actor on every Up member for its
/// node's figures (each asks its own supervisor) and adds them up. A member that does not answer within
/// the timeout is listed as unreachable rather than holding the answer back.
/// </summary>
internal sealed class ClusterStatus : ReceiveActor
{
    private readonly IActorRef _supervisor;
    private readonly string _name;

    public ClusterStatus(IActorRef supervisor, string name)
    {
        _supervisor = supervisor;
        _name = name;
        Receive<GetNodeStatus>(_ => NodeStatusAsync().PipeTo(Sender));
        Receive<GetClusterStatus>(get => ClusterStatusAsync(get.Timeout).PipeTo(Sender));
    }

    internal sealed record GetNodeStatus
    {
        public static readonly GetNodeStatus Instance = new();
    }

    public static string ActorName(string name) => $"{name}-cluster-status";

    public static Props Props(IActorRef supervisor, string name) => Akka.Actor.Props.Create(() => new ClusterStatus(supervisor, name));

    private Task<NodeStatus> NodeStatusAsync()
    {
        // Read before the await: an actor's Context exists only while it handles a message.
        var self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        return Ask();

        async Task<NodeStatus> Ask()
        {
            var status = await _supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5));
            return new NodeStatus(self, true, status.Endpoints.Length, status.Connected, status.FullHandshakes, status.ResumedHandshakes, status.FailedHandshakes);
        }
    }

    private Task<ClusterStatusReport> ClusterStatusAsync(TimeSpan timeout)
    {
        var system = Context.System;
        var members = Akka.Cluster.Cluster.Get(system).State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).ToArray();
        var path = ActorName(_name);
        return Gather();

        async Task<ClusterStatusReport> Gather()
        {
            var answers = await Task.WhenAll(members.Select(async address =>
            {
                try
                {
                    return await system.ActorSelection($"{address}/user/{path}").Ask<NodeStatus>(GetNodeStatus.Instance, timeout);
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or ActorNotFoundException)
                {
                    return new NodeStatus(address.ToString(), false, 0, 0, 0, 0, 0);
                }
            }));
            return new ClusterStatusReport([.. answers.OrderBy(a => a.Node, StringComparer.Ordinal)]);
        }
    }
}
