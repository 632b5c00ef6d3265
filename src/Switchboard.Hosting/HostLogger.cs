using System.Collections.Concurrent;
using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Switchboard.Hosting;

/// <summary>
/// An Akka logger that hands every log event to the host's <see cref="ILoggerFactory"/> under the
/// category of the class that logged it (<c>Switchboard.Resumption.ResumptionCacheActor</c>, ...), so the
/// host's levels per category, providers and formats (JSON console, ...) apply to Switchboard's messages
/// as to its own. Akka.Hosting's own logger files everything under one category, which per-category
/// levels cannot tell apart.
/// </summary>
internal sealed class HostLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);
    private ILoggerFactory? _factory;

    public HostLogger()
    {
        Receive<InitializeLogger>(_ =>
        {
            // A daemon without a host hands its factory over as a setup; a host has it in its services.
            _factory = Context.System.Settings.Setup.Get<SwitchboardLogging.FactorySetup>().Value?.Factory
                       ?? DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
            Sender.Tell(new LoggerInitialized());
        });
        Receive<LogEvent>(Log);
    }

    private void Log(LogEvent log)
    {
        if (_factory is null)
        {
            return;
        }

        var category = log.LogClass?.FullName ?? log.LogSource ?? "Akka";
        var logger = _loggers.GetOrAdd(category, _factory.CreateLogger);
        var level = log.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var exception = log is Error error ? error.Cause : null;
        logger.Log(level, default, (Source: log.LogSource, Message: log.Message), exception,
            static (state, _) => state.Message?.ToString() ?? string.Empty);
    }
}
