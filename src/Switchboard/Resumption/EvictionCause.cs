namespace Switchboard.Resumption;

/// <summary>
/// Why a <see cref="SessionStore{TValue}"/> let go of a value it still owned. Taking a value out
/// (<see cref="SessionStore{TValue}.TryTake(ReadOnlySpan{byte}, out TValue)"/>) is not an eviction: the caller owns it
/// then, so the eviction callback never sees it.
/// </summary>
internal enum EvictionCause
{
    /// <summary>Its expiry (the lifetime from the session, capped by the configured max-age) passed.</summary>
    Expired,

    /// <summary>Scrolled out, oldest first, to make room for a newer entry in a full sub-cache.</summary>
    Full,

    /// <summary>A newer value for the same key replaced it, or pushed it off the key's shelf.</summary>
    Replaced,

    /// <summary>Removed on request (<c>Remove</c>, <c>Clear</c>).</summary>
    Removed,
}
