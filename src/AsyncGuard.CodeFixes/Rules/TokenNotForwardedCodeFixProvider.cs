using System.Globalization;
using AsyncGuard.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Passes the token in scope to a call that does not forward it (AGD0023): replaces a
/// <c>CancellationToken.None</c>/<c>default</c> argument, or adds the token, positionally where
/// it lands on the token parameter and as a named argument otherwise. Offered only when the
/// new call binds to a method that takes the token.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenNotForwardedCodeFixProvider)), Shared]
public sealed class TokenNotForwardedCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0023.PassToken";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0023_TokenNotForwarded.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(TokenNotForwardedAnalyzer.TokenProperty, out var token) || token is null) continue;
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (diagnostic.Properties.TryGetValue(TokenNotForwardedAnalyzer.ModeProperty, out var mode) && mode == TokenNotForwardedAnalyzer.ModeWithCancellation)
            {
                // await foreach (var x in items) to await foreach (var x in items.WithCancellation(token)).
                if (node is not ExpressionSyntax sequence || node.Parent is not CommonForEachStatementSyntax) continue;
                var call = WithCancellation(sequence, ParseExpression(token));
                if (model.GetSpeculativeSymbolInfo(sequence.SpanStart, call, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol { Name: "WithCancellation" }) continue;
                context.RegisterCodeFix(
                    CodeAction.Create($"Pass '{token}'", ct => FixAsync(context.Document, sequence, call, ct), EquivalenceKey),
                    diagnostic);
                continue;
            }

            var rewrite = Rewrite(node, diagnostic, token, model);
            if (rewrite is null) continue;
            var (original, replacement) = rewrite.Value;
            if (!BindsToTokenTaker(model, original, replacement, context.CancellationToken)) continue;

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Pass '{token}'",
                    ct => FixAsync(context.Document, original, replacement, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The invocation before and after passing the token, or null when no correct shape exists.</summary>
    private static (InvocationExpressionSyntax Original, InvocationExpressionSyntax Replacement)? Rewrite(SyntaxNode node, Diagnostic diagnostic, string token, SemanticModel model)
    {
        var properties = diagnostic.Properties;
        var tokenExpression = ParseExpression(token);
        if (properties.TryGetValue(TokenNotForwardedAnalyzer.ModeProperty, out var mode) && mode == TokenNotForwardedAnalyzer.ModeReplace)
        {
            var argument = node as ArgumentSyntax ?? node.FirstAncestorOrSelf<ArgumentSyntax>();
            if (argument?.Parent?.Parent is not InvocationExpressionSyntax owner) return null;
            var newArgument = argument.WithExpression(tokenExpression.WithTriviaFrom(argument.Expression));
            return (owner, owner.ReplaceNode(argument, newArgument));
        }

        if (node is not InvocationExpressionSyntax invocation) return null;
        if (!properties.TryGetValue(TokenNotForwardedAnalyzer.IndexProperty, out var indexText)
            || !int.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            || !properties.TryGetValue(TokenNotForwardedAnalyzer.NameProperty, out var name) || name is null) return null;

        var arguments = invocation.ArgumentList.Arguments;
        if (properties.TryGetValue(TokenNotForwardedAnalyzer.ParamsArrayProperty, out var paramsText))
        {
            // The params list becomes the array the token overload takes: passing the token into the list would make it a value.
            if (!int.TryParse(paramsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
                || ParamsArray(invocation, start, model) is not { } array) return null;
            arguments = SeparatedList(arguments.Take(start).Append(Argument(array)));
        }

        var positional = arguments.TakeWhile(a => a.NameColon is null).Count();
        var hasNamed = positional < arguments.Count;
        if (arguments.Any(a => a.NameColon is null && arguments.IndexOf(a) > positional)) return null; // non-trailing named arguments: leave them be

        SeparatedSyntaxList<ArgumentSyntax> newArguments;
        if (index < positional || (index == positional && !hasNamed))
        {
            // Positional: every argument before it is positional and in place.
            newArguments = arguments.Insert(index, Argument(tokenExpression));
        }
        else
        {
            // Optional parameters skipped, or named arguments around: name it.
            newArguments = arguments.Add(Argument(NameColon(IdentifierName(name)), default, tokenExpression));
        }

        return (invocation, invocation.WithArgumentList(invocation.ArgumentList.WithArguments(newArguments)));
    }

    private static InvocationExpressionSyntax WithCancellation(ExpressionSyntax sequence, ExpressionSyntax token)
    {
        var receiver = sequence is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
            ? sequence.WithoutTrivia()
            : ParenthesizedExpression(sequence.WithoutTrivia());
        var call = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, IdentifierName("WithCancellation")),
            ArgumentList(SingletonSeparatedList(Argument(token))));
        return call.WithTriviaFrom(sequence);
    }

    /// <summary><c>new T[] { a, b }</c> of the arguments from <paramref name="start"/> on, when they are the params list of the call.</summary>
    private static ArrayCreationExpressionSyntax? ParamsArray(InvocationExpressionSyntax invocation, int start, SemanticModel model)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (start < 0 || start > arguments.Count || arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None))) return null;
        if (model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol { Parameters.Length: > 0 } method
            || method.Parameters[method.Parameters.Length - 1] is not { IsParams: true, Type: IArrayTypeSymbol arrayType }) return null;

        var elementType = ParseTypeName(arrayType.ElementType.ToMinimalDisplayString(model, invocation.SpanStart));
        return ArrayCreationExpression(
            ArrayType(elementType, SingletonList(ArrayRankSpecifier(SingletonSeparatedList<ExpressionSyntax>(OmittedArraySizeExpression())))),
            InitializerExpression(SyntaxKind.ArrayInitializerExpression, SeparatedList(arguments.Skip(start).Select(a => a.Expression.WithoutTrivia()))))
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
    }

    /// <summary>True when <paramref name="replacement"/> binds, in place of <paramref name="original"/>, to a method whose token parameter gets the token.</summary>
    private static bool BindsToTokenTaker(SemanticModel model, InvocationExpressionSyntax original, InvocationExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        var info = model.GetSpeculativeSymbolInfo(original.SpanStart, replacement, SpeculativeBindingOption.BindAsExpression);
        if (info.Symbol is not IMethodSymbol method) return false;
        var before = model.GetSymbolInfo(original, cancellationToken).Symbol as IMethodSymbol;
        if (before is null) return false;
        if (method.Name != before.Name) return false;
        return KnownSymbols.From(model.Compilation) is { } symbols && method.Parameters.Any(p => symbols.IsCancellationTokenOrNullable(p.Type));
    }

    private static async Task<Document> FixAsync(Document document, ExpressionSyntax original, ExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var changed = document.WithSyntaxRoot(root.ReplaceNode(original, replacement.WithTriviaFrom(original)));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }
}
