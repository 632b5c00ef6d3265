using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Cluster;
using Switchboard.Hosting;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Xunit.Abstractions;

namespace Switchboard.Tests.Cluster;

/// <summary>
/// <c>WithSwitchboardCluster</c> in two generic hosts: Akka.Remote.Hosting's address, Akka.Cluster.Hosting's
/// seed nodes, remoting on mutual TLS from the Switchboard options' PKI; both nodes answer the cluster-wide
/// status and every agent is linked once. (The node up first takes every shard; rebalancing hands the other
/// its share gradually, which ClusterRebalanceSpec measures.)
/// </summary>
[Collection(Stress.StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class WithSwitchboardClusterSpec(ITestOutputHelper output)
{
    private const int Agents = 40;

    [Fact]
    public async Task Two_hosted_nodes_form_a_cluster_over_mutual_tls_and_link_every_agent_once()
    {
        await using var fleet = await AgentFleet.StartAsync(Stress.StressPki.Layout, Agents, port: 0);
        var ports = new[] { FreePort(), FreePort() };
        var hosts = ports.Select(port => Host(fleet, port, ports[0])).ToArray();
        foreach (var host in hosts)
        {
            await host.StartAsync();
        }

        try
        {
            var status = await hosts[1].Services.GetRequiredService<IRequiredActor<SwitchboardClusterStatus>>().GetAsync();
            ClusterStatusReport? last = null;
            await Eventually.AssertAsync(async () =>
            {
                last = await status.Ask<ClusterStatusReport>(new GetClusterStatus(TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(5));
                Assert.Equal(2, last.Nodes.Length);
                Assert.All(last.Nodes, node => Assert.StartsWith("akka.ssl.tcp://", node.Node));
                Assert.Equal(Agents, last.Connected);
                Assert.All(last.Nodes, node => Assert.True(node.Reachable, $"{node.Node} did not answer"));
                Assert.All(fleet.LinksPerAgent(), links => Assert.Equal(1, links));
            }, TimeSpan.FromSeconds(60));
            output.WriteLine(string.Join("; ", last!.Nodes.Select(n => $"{n.Node}: {n.Connected}/{n.Endpoints}")));
        }
        finally
        {
            foreach (var host in hosts.Reverse())
            {
                await host.StopAsync(TimeSpan.FromSeconds(30));
                host.Dispose();
            }
        }
    }

    private static IHost Host(AgentFleet fleet, int port, int seedPort)
    {
        var pki = Stress.StressPki.Layout;
        return new HostBuilder()
            .ConfigureServices(services => services.AddAkka("switchboard-masters", builder =>
                builder.WithSwitchboardCluster(
                    new SwitchboardOptions
                    {
                        Ca = pki.CaCertificate,
                        Certificate = pki.MasterCertificate,
                        PrivateKey = pki.MasterKey,
                        Endpoints = fleet.Endpoints().ToList(),
                        UseHostLogging = false,
                    },
                    new RemoteOptions { HostName = "127.0.0.1", Port = port },
                    new ClusterOptions { SeedNodes = [$"akka.ssl.tcp://switchboard-masters@127.0.0.1:{seedPort}"] },
                    replicateSessions: true)))
            .Build();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
