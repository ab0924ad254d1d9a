using AsyncGuard.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Fixes AGD0002/AGD0006: calls the async twin and awaits it (forwarding the token in scope), or,
/// for a blocking wait with no twin, offloads it with <c>await Task.Run(() =&gt; call)</c>. Makes
/// the enclosing task-returning function async where its returns can be rewritten; not
/// offered where an <c>await</c> cannot go.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallCodeFixProvider)), Shared]
public sealed class BlockingCallCodeFixProvider : CodeFixProvider
{
    public const string AwaitTwinKey = "AGD0002.AwaitAsyncTwin";
    public const string OffloadKey = "AGD0002.OffloadToTaskRun";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0002_BlockingCall.Id, Descriptors.AGD0006_PreferAsyncOverload.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(BlockingCallAnalyzer.FixProperty, out var kind) || kind is null) continue;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation) continue;
            var function = AsyncFunction.Enclosing(invocation);
            if (function is null || !AsyncFunction.CanAwaitAt(invocation, function) || CallSyntax.InConditionalAccess(invocation, function)) continue;
            if (!AsyncFunction.CanBecomeAsync(function, model, context.CancellationToken)) continue;

            if (kind == BlockingCallAnalyzer.FixTwin
                && diagnostic.Properties.TryGetValue(BlockingCallAnalyzer.TwinProperty, out var twin) && twin is not null)
            {
                diagnostic.Properties.TryGetValue(BlockingCallAnalyzer.TokenProperty, out var token);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        token is null ? $"Await '{twin}'" : $"Await '{twin}' with '{token}'",
                        ct => FixAsync(context.Document, invocation, diagnostic, ct),
                        AwaitTwinKey),
                    diagnostic);
            }
            else if (kind == BlockingCallAnalyzer.FixOffload)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Offload with 'await Task.Run'", ct => FixAsync(context.Document, invocation, diagnostic, ct), OffloadKey),
                    diagnostic);
            }
        }
    }

    private static Task<Document> FixAsync(Document document, InvocationExpressionSyntax invocation, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var properties = diagnostic.Properties;
        var awaitsTwin = properties.TryGetValue(BlockingCallAnalyzer.TwinProperty, out var twin) && twin is not null
            && properties.TryGetValue(BlockingCallAnalyzer.FixProperty, out var kind) && kind == BlockingCallAnalyzer.FixTwin;
        return CallSyntax.AwaitInPlaceAsync(
            document,
            invocation,
            awaitsTwin ? model => TwinCall(invocation, twin!, properties, model, cancellationToken) : null,
            properties.ContainsKey(BlockingCallAnalyzer.ConfigurableProperty),
            cancellationToken);
    }

    /// <summary><c>x.MAsync(args[, token])</c>: the same receiver, type arguments and arguments, renamed.</summary>
    private static ExpressionSyntax? TwinCall(InvocationExpressionSyntax invocation, string twin, ImmutableDictionary<string, string?> properties, SemanticModel model, CancellationToken cancellationToken)
    {
        ExpressionSyntax? expression = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.WithName(CallSyntax.Rename(member.Name, twin)),
            SimpleNameSyntax name => CallSyntax.Rename(name, twin),
            _ => null,
        };
        if (expression is null) return null;

        var arguments = invocation.ArgumentList;
        if (properties.TryGetValue(BlockingCallAnalyzer.TokenProperty, out var token) && token is not null)
        {
            var parameterCount = (model.GetSymbolInfo(invocation, cancellationToken).Symbol as IMethodSymbol)?.Parameters.Length ?? -1;
            var positional = arguments.Arguments.Count == parameterCount && arguments.Arguments.All(a => a.NameColon is null);
            var argument = Argument(ParseExpression(token));
            if (!positional)
            {
                if (!properties.TryGetValue(BlockingCallAnalyzer.TokenParameterProperty, out var parameter) || parameter is null) return null;
                argument = argument.WithNameColon(NameColon(IdentifierName(parameter)));
            }

            arguments = arguments.WithArguments(arguments.Arguments.Add(argument));
        }

        return invocation.WithExpression(expression).WithArgumentList(arguments).WithoutTrivia();
    }

}
