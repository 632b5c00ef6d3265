namespace Switchboard.Tests.Configuration;

/// <summary>
/// Tests that swap Console.Out/Error. The console is process-wide, so they run alone: not beside each
/// other, and not beside tests whose actor systems log to the console while it is captured.
/// </summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
