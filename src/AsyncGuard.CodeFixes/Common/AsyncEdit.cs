using Microsoft.CodeAnalysis.Formatting;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// The edit most AsyncGuard fixes make: replace one node inside a function with its awaited
/// form, make the function async when it is not yet (rewriting its returns), and keep the
/// result only when it adds no compiler error (<see cref="FixSafety"/>).
/// </summary>
internal static class AsyncEdit
{
    /// <summary>
    /// <paramref name="node"/> replaced by <paramref name="replacement"/> in an async
    /// <paramref name="function"/>; the document unchanged when the function cannot become async.
    /// <paramref name="format"/> runs the formatter on nodes annotated for it.
    /// </summary>
    public static async Task<Document> ReplaceInAsyncFunctionAsync(
        Document document, SyntaxNode root, SemanticModel model, SyntaxNode function, SyntaxNode node, SyntaxNode replacement,
        CancellationToken cancellationToken, bool format = false)
    {
        var edits = new Dictionary<SyntaxNode, SyntaxNode> { [node] = replacement };
        var newFunction = AsyncFunction.MakeAsync(function, AsyncFunction.ReturnType(function, model, cancellationToken), model, edits);
        if (newFunction is null) return document;

        var changed = document.WithSyntaxRoot(root.ReplaceNode(function, newFunction));
        if (format) changed = await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }
}
