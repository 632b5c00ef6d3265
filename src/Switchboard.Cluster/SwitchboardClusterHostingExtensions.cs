using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Switchboard.Hosting;

namespace Switchboard.Cluster;

/// <summary>Registry key: the actor that answers <see cref="GetClusterStatus"/> on this node.</summary>
public sealed class SwitchboardClusterStatus
{
}

/// <summary>Embeds a Switchboard cluster node in a daemon built on Akka.Hosting.</summary>
public static class SwitchboardClusterHostingExtensions
{
    /// <summary>
    /// Remoting, clustering and Switchboard on this node: the options as <c>WithSwitchboard</c> takes them
    /// (the endpoint list is the whole cluster's; each node runs its share), Akka.Remote.Hosting's and
    /// Akka.Cluster.Hosting's options for the address and seed nodes. With <paramref name="replicateSessions"/>,
    /// remoting runs mutual TLS on the master's own certificate and key, verified against the same CA bundle.
    /// Registers this node's supervisor as <see cref="SwitchboardSupervisor"/> and the cluster-wide status as
    /// <see cref="SwitchboardClusterStatus"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithSwitchboardCluster(
        this AkkaConfigurationBuilder builder,
        SwitchboardOptions options,
        RemoteOptions remote,
        ClusterOptions cluster,
        bool replicateSessions = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(cluster);
        if (replicateSessions)
        {
            if (options.Ca is not { } ca || options.Certificate is not { } own || options.PrivateKey is not { } key)
            {
                throw new ArgumentException("replicated sessions need the master's CA, certificate and private key in the options: remoting runs mutual TLS on them", nameof(options));
            }

            var (certificate, validator) = RemotingTls.Material(ca, own, key);
            remote.EnableSsl = true;
            remote.Ssl = new SslOptions
            {
                X509Certificate = certificate,
                SuppressValidation = false,
                RequireMutualAuthentication = true,
                CustomValidator = validator,
            };
            builder.AddHocon("switchboard.cluster.replicate-sessions = on", HoconAddMode.Prepend);
        }

        builder.WithRemoting(remote).WithClustering(cluster);
        builder.AddHocon(SwitchboardCluster.DefaultConfig, HoconAddMode.Append);
        return builder.WithSwitchboard(options, (system, registry) =>
        {
            var node = SwitchboardCluster.Start(system, Configuration.SettingsLoader.Load(system.Settings.Config.WithFallback(Configuration.SettingsLoader.LoadReference())));
            registry.Register<SwitchboardSupervisor>(node.Runtime.Supervisor);
            registry.Register<SwitchboardClusterStatus>(node.StatusActor);
        });
    }
}
