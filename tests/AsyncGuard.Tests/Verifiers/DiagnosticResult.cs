using System;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>An expected diagnostic given in code: an id, a markup location (<c>{|#N:..|}</c>), and optionally the message arguments.</summary>
public sealed record DiagnosticResult(string Id)
{
    public int? LocationIndex { get; init; }

    public TextSpan? Span { get; init; }

    public object?[]? Arguments { get; init; }

    public DiagnosticResult WithLocation(int markupIndex) => this with { LocationIndex = markupIndex };

    public DiagnosticResult WithSpan(TextSpan span) => this with { Span = span };

    public DiagnosticResult WithArguments(params object?[] arguments) => this with { Arguments = arguments };

    public override string ToString() =>
        $"{Id}{(Span is { } s ? $" at {s}" : LocationIndex is { } l ? $" at #{l}" : "")}{(Arguments is null ? "" : " (" + string.Join(", ", Arguments) + ")")}";
}

/// <summary>Thrown when a verification fails; its message holds the annotated source.</summary>
public sealed class VerifierFailedException : Exception
{
    public VerifierFailedException(string message)
        : base(message)
    {
    }
}
