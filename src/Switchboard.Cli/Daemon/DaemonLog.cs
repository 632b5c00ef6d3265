using Akka.Actor;
using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Switchboard.Hosting;
using Switchboard.Testing;

namespace Switchboard.Cli.Daemon;

/// <summary>
/// Where the daemon's lines go. <c>--log-format text</c> (the default): its own lines on stdout and stderr
/// as they always were, and Akka's log events with their timestamp and level. <c>json</c>: everything,
/// the status line included, as one JSON object per line (timestamp, level, category, message), through
/// Microsoft.Extensions.Logging, for log shippers.
/// </summary>
internal sealed class DaemonLog : IDisposable
{
    private readonly ILoggerFactory? _factory;
    private readonly ILogger? _logger;

    private DaemonLog(ILoggerFactory? factory)
    {
        _factory = factory;
        _logger = factory?.CreateLogger("Switchboard.Cli.Daemon");
    }

    /// <exception cref="UsageException"><paramref name="format"/> is neither text nor json.</exception>
    public static DaemonLog Create(string? format) => format switch
    {
        null or "text" => new DaemonLog(null),
        "json" => new DaemonLog(LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            }))),
        _ => throw new UsageException($"--log-format must be text or json, not '{format}'"),
    };

    public void Info(string line)
    {
        if (_logger is null)
        {
            Console.Out.WriteLine(line);
            return;
        }

        _logger.LogInformation("{Line}", line);
    }

    public void Error(string line)
    {
        if (_logger is null)
        {
            Console.Error.WriteLine(line);
            return;
        }

        _logger.LogError("{Line}", line);
    }

    /// <summary>The daemon's actor system, its log events routed as this log's format says.</summary>
    /// <param name="extra">A further setup (remoting TLS for a cluster node), or null.</param>
    public ActorSystem CreateSystem(string name, Akka.Configuration.Config config, Setup? extra = null)
    {
        var bootstrap = _factory is null
            ? BootstrapSetup.Create().WithConfig(config)
            : BootstrapSetup.Create().WithConfig(SwitchboardLogging.LoggersConfig.WithFallback(config));
        var setups = new List<Setup> { bootstrap };
        if (_factory is not null)
        {
            setups.Add(SwitchboardLogging.Setup(_factory));
        }

        if (extra is not null)
        {
            setups.Add(extra);
        }

        return ActorSystem.Create(name, ActorSystemSetup.Create([.. setups]));
    }

    public void Dispose() => _factory?.Dispose();
}
