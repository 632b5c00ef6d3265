namespace Switchboard.Cli;

/// <summary>Wrong arguments: the command prints the message and the usage, and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
