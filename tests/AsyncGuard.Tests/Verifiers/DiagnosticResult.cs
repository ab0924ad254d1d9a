using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>
/// An expected diagnostic given in code: an id, a markup location (<c>{|#N:..|}</c>), optionally the
/// message arguments; a second <see cref="WithLocation"/> adds an additional location, checked in order.
/// </summary>
public sealed record DiagnosticResult(string Id)
{
    public int? LocationIndex { get; init; }

    public TextSpan? Span { get; init; }

    public object?[]? Arguments { get; init; }

    public ImmutableArray<int> AdditionalLocationIndexes { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>The additional locations, resolved from <see cref="AdditionalLocationIndexes"/> by the verifier.</summary>
    public ImmutableArray<TextSpan> AdditionalSpans { get; init; } = ImmutableArray<TextSpan>.Empty;

    public DiagnosticResult WithLocation(int markupIndex) => LocationIndex is null && Span is null
        ? this with { LocationIndex = markupIndex }
        : this with { AdditionalLocationIndexes = AdditionalLocationIndexes.Add(markupIndex) };

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
