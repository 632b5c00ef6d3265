namespace Switchboard.Resumption;

/// <summary>Sees one live value of a <see cref="SessionStore{TValue}"/> (for persistence); runs under a sub-cache lock.</summary>
internal delegate void SessionVisitor<TValue>(ReadOnlySpan<byte> key, TValue value, DateTime expiresAtUtc);
