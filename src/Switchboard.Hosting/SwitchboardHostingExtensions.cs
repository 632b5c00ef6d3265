using Akka.Hosting;
using Switchboard.Configuration;

namespace Switchboard.Hosting;

/// <summary>Embeds Switchboard in a daemon built on Akka.Hosting.</summary>
public static class SwitchboardHostingExtensions
{
    /// <summary>Mutual-TLS identity, endpoints and (optionally) where sessions persist.</summary>
    public static AkkaConfigurationBuilder WithSwitchboard(
        this AkkaConfigurationBuilder builder,
        string ca,
        string certificate,
        string privateKey,
        IEnumerable<EndpointSettings> endpoints,
        string? persistPath = null) =>
        builder.WithSwitchboard(new SwitchboardOptions
        {
            Ca = ca,
            Certificate = certificate,
            PrivateKey = privateKey,
            Endpoints = endpoints.ToList(),
            PersistPath = persistPath,
        });

    public static AkkaConfigurationBuilder WithSwitchboard(this AkkaConfigurationBuilder builder, Action<SwitchboardOptions> configure)
    {
        var options = new SwitchboardOptions();
        configure(options);
        return builder.WithSwitchboard(options);
    }

    /// <summary>
    /// Options become HOCON prepended (they win over config files), reference.conf is appended (it only
    /// fills gaps); the supervisor is registered as <see cref="SwitchboardSupervisor"/>, with a health check.
    /// </summary>
    public static AkkaConfigurationBuilder WithSwitchboard(this AkkaConfigurationBuilder builder, SwitchboardOptions options) =>
        builder.WithSwitchboard(options, (system, registry) =>
        {
            var runtime = SwitchboardRuntime.Start(system);
            registry.Register<SwitchboardSupervisor>(runtime.Supervisor);
        });

    /// <summary>The options, logging and health check of <see cref="WithSwitchboard(AkkaConfigurationBuilder, SwitchboardOptions)"/>, with another way to start (a cluster node).</summary>
    internal static AkkaConfigurationBuilder WithSwitchboard(this AkkaConfigurationBuilder builder, SwitchboardOptions options, Action<Akka.Actor.ActorSystem, IActorRegistry> start)
    {
        builder.AddHocon(options.ToHocon(), HoconAddMode.Prepend);
        builder.AddHocon(SettingsLoader.LoadReference(), HoconAddMode.Append);
        if (options.UseHostLogging)
        {
            builder.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<HostLogger>();
            });
        }

        builder.WithActors(start);
        builder.WithHealthCheck("switchboard", new SwitchboardHealthCheck(), tags: ["switchboard", "ready"]);
        return builder;
    }
}
