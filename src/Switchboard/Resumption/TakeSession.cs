namespace Switchboard.Resumption;

/// <summary>Asks the cache actor for the newest resumable session of a key; answered with <see cref="SessionOffer"/>.</summary>
internal sealed record TakeSession(string Key, long LinkId);
