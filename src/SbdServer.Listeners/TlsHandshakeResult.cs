namespace SbdServer.Listeners;

/// <summary>How a TLS listener's handshake ended (<see cref="ServerCertificateReloader.AuthenticateAsync"/>).</summary>
public enum TlsHandshakeOutcome
{
    Completed,

    /// <summary>The client sent too little within the listener's handshake timeout.</summary>
    TimedOut,

    /// <summary>The client broke off or spoke no acceptable TLS; <see cref="TlsHandshakeResult.Failure"/> says why.</summary>
    Failed,
}

/// <param name="Failure">The exception of a failed handshake, for the listener's log; null otherwise.</param>
public readonly record struct TlsHandshakeResult(TlsHandshakeOutcome Outcome, Exception? Failure)
{
    public bool Completed => Outcome == TlsHandshakeOutcome.Completed;

    /// <summary>The reason of a failed handshake in the words of the TLS layer (the inner exception's, when there is one).</summary>
    public string FailureReason => Failure?.InnerException?.Message ?? Failure?.Message ?? "";
}
