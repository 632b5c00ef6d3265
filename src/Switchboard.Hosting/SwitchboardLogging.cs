using Akka.Actor.Setup;
using Akka.Configuration;
using Microsoft.Extensions.Logging;

namespace Switchboard.Hosting;

/// <summary>
/// Switchboard's log events through an <see cref="ILoggerFactory"/> for an actor system built without
/// Akka.Hosting (a daemon of its own, as <c>switchboard connect --log-format json</c>): put
/// <see cref="LoggersConfig"/> in front of its config and <see cref="Setup"/> into its setup. Each event keeps
/// the logging class's full name as its category. <c>WithSwitchboard</c> does the same from the host's services.
/// </summary>
public static class SwitchboardLogging
{
    /// <summary>Akka's loggers replaced by the one that hands events to the factory.</summary>
    public static Config LoggersConfig { get; } =
        ConfigurationFactory.ParseString($"akka.loggers = [\"{typeof(HostLogger).FullName}, {typeof(HostLogger).Assembly.GetName().Name}\"]");

    /// <summary>The factory the actor system's log events go to.</summary>
    public static Setup Setup(ILoggerFactory factory) => new FactorySetup(factory);

    internal sealed class FactorySetup(ILoggerFactory factory) : Setup
    {
        public ILoggerFactory Factory { get; } = factory;
    }
}
