namespace Switchboard.Testing;

/// <summary>Wrong arguments: the command prints the message and the usage, and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
