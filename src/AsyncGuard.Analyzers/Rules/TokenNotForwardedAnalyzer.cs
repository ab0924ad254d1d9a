using System.Collections.Concurrent;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags a call that could take a cancellation token (an overload that is the same plus a
/// token, or an optional token parameter) but gets none, or gets <c>CancellationToken.None</c>
/// or <c>default</c>, while a token is in scope (AGD0023): a cancel request cannot stop that work.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenNotForwardedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the expression of the token to pass.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Diagnostic property: <see cref="ModeAdd"/> or <see cref="ModeReplace"/>.</summary>
    public const string ModeProperty = "Mode";

    /// <summary>Diagnostic property: the index of the token parameter in the method to call.</summary>
    public const string IndexProperty = "Index";

    /// <summary>Diagnostic property: the name of the token parameter in the method to call.</summary>
    public const string NameProperty = "Name";

    /// <summary>
    /// Diagnostic property, when present: the index of the argument where a params list starts that
    /// must become an array (<c>FindAsync(id)</c> to <c>FindAsync(new object[] { id }, ct)</c>).
    /// </summary>
    public const string ParamsArrayProperty = "ParamsArray";

    /// <summary>The call passes no token: add an argument.</summary>
    public const string ModeAdd = "Add";

    /// <summary>The call passes <c>None</c>/<c>default</c>: replace that argument (the diagnostic's span).</summary>
    public const string ModeReplace = "Replace";

    /// <summary>An <c>await foreach</c> over the diagnostic's span: append <c>.WithCancellation(token)</c>.</summary>
    public const string ModeWithCancellation = "WithCancellation";


    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0023_TokenNotForwarded);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { CancellationToken: { } } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0023_TokenNotForwarded, c.Operation.Syntax.SyntaxTree)) state.AnalyzeInvocation(c); }, OperationKind.Invocation);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0023_TokenNotForwarded, c.Operation.Syntax.SyntaxTree)) state.AnalyzeLoop(c); }, OperationKind.Loop);
        });
    }

    /// <summary>What a called method offers: a token overload, and whether AGD0002 owns its sync form.</summary>
    private sealed class MethodFacts
    {
        public static readonly MethodFacts None = new(null, false);

        public MethodFacts(TokenOverload? tokenOverload, bool hasAsyncSibling)
        {
            TokenOverload = tokenOverload;
            HasAsyncSibling = hasAsyncSibling;
        }

        public TokenOverload? TokenOverload { get; }
        public bool HasAsyncSibling { get; }
    }

    /// <summary>The per-compilation state: resolved symbols and the per-method cache.</summary>
    private sealed class CompilationState
    {
        private readonly KnownSymbols symbols;
        private readonly BlockingApis blocking;
        private readonly INamedTypeSymbol? expressionOfT;
        private readonly ConcurrentDictionary<IMethodSymbol, MethodFacts> facts = new(SymbolEqualityComparer.Default);
        private readonly System.Func<IMethodSymbol, MethodFacts> compute;

        public CompilationState(KnownSymbols symbols)
        {
            this.symbols = symbols;
            blocking = BlockingApis.For(symbols);
            compute = Compute;
            expressionOfT = symbols.Lookup("System.Linq.Expressions.Expression`1");
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension or MethodKind.DelegateInvoke)) return;

            // The call's own token argument: missing (optional), explicit None/default, or passed.
            var methodFacts = Facts(method);
            if (methodFacts.HasAsyncSibling && AsyncContext.IsAsyncContext(invocation, context.ContainingSymbol, symbols)) return;
            string mode;
            int index;
            string name;
            Location location;
            IArgumentOperation? tokenArgument = null;
            var paramsOrdinal = -1;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } p && symbols.IsCancellationTokenOrNullable(p.OriginalDefinition.Type))
                {
                    tokenArgument = argument;
                    break;
                }
            }

            if (tokenArgument is not null)
            {
                if (tokenArgument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    mode = ModeAdd;
                    location = invocation.Syntax.GetLocation();
                }
                else if (TokenFacts.IsNoneToken(tokenArgument.Value, symbols) && tokenArgument.Syntax is ArgumentSyntax argumentSyntax)
                {
                    // An explicit None/default states the intent not to cancel: reported only when the user asks.
                    if (!Options.GetBool(context.Options, invocation.Syntax.SyntaxTree, Options.AGD0023.ReportExplicitNone, false)) return;
                    mode = ModeReplace;
                    location = argumentSyntax.Expression.GetLocation();
                }
                else
                {
                    return;
                }

                index = tokenArgument.Parameter!.Ordinal;
                name = tokenArgument.Parameter.Name;
            }
            else
            {
                if (methodFacts.TokenOverload is not { } tokenOverload) return;
                var overload = tokenOverload.Overload;

                // Task<T> against ValueTask<T>: the same only where the result is awaited.
                if (tokenOverload.AwaitedOnly && !IsAwaited(invocation)) return;
                if (invocation.SemanticModel is { } accessModel && !accessModel.IsAccessible(invocation.Syntax.SpanStart, overload)) return;
                mode = ModeAdd;
                index = tokenOverload.TokenIndex;
                name = overload.Parameters[index].Name;
                location = invocation.Syntax.GetLocation();
                if (tokenOverload.ParamsOrdinal >= 0 && invocation.Arguments.Any(a => a.ArgumentKind == ArgumentKind.ParamArray)) paramsOrdinal = tokenOverload.ParamsOrdinal;
            }

            if (IsExcluded(method)) return;
            if (TokenUse.OnlyPreventsStart(method, symbols) || CleanupPath.IsInCleanupPath(invocation, context.ContainingSymbol)) return;

            // An extension method called on its receiver: the receiver is not in the argument list.
            if (method.IsExtensionMethod && invocation.Arguments.Length > 0 && invocation.Arguments[0].Syntax is not ArgumentSyntax) index--;

            // Waits on a blocking primitive are AGD0002's in async code (its fix offloads them): no second report here.
            if (blocking.IsWaitPrimitive(method.ContainingType)
                && AsyncContext.IsAsyncContext(invocation, context.ContainingSymbol, symbols)) return;
            if (!IsWhereCancellationApplies(invocation, context.ContainingSymbol)) return;
            if (invocation.SemanticModel is not { } model) return;
            if (AsyncContext.FindTokenInScope(model, invocation.Syntax, symbols) is not { } token) return;

            // A member token (a type's shutdown source) is being torn down inside Dispose: do not pass it there.
            if (token.Symbol is IFieldSymbol or IPropertySymbol
                && context.ContainingSymbol is IMethodSymbol { Name: "Dispose" or "DisposeAsync" }) return;

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(TokenProperty, token.Expression)
                .Add(ModeProperty, mode)
                .Add(IndexProperty, index.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add(NameProperty, name);
            if (paramsOrdinal >= 0)
            {
                if (method.IsExtensionMethod && invocation.Arguments.Length > 0 && invocation.Arguments[0].Syntax is not ArgumentSyntax) paramsOrdinal--;
                properties = properties.Add(ParamsArrayProperty, paramsOrdinal.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0023_TokenNotForwarded,
                location,
                properties,
                $"{method.ContainingType.Name}.{method.Name}",
                token.Expression));
        }

        /// <summary>
        /// <c>await foreach (var x in items)</c> over an <c>IAsyncEnumerable&lt;T&gt;</c> without
        /// <c>.WithCancellation(token)</c> while a token is in scope: the enumerator never sees it.
        /// Silent when the sequence came from a call that takes a token (it got it, or that call is
        /// reported itself), as for an async iterator with an <c>[EnumeratorCancellation]</c> token.
        /// </summary>
        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            if (context.Operation is not IForEachLoopOperation { IsAsynchronous: true, Collection: { } collection } loop) return;
            var source = OperationFacts.StripConversions(collection);
            if (!AsyncEnumerables.IsAsyncEnumerable(source.Type, symbols)) return;
            if (loop.SemanticModel is not { } model) return;
            if (AsyncEnumerables.GetsToken(source, model, symbols, blocking.Overloads)) return;
            if (!IsOutsideCleanupAndTrees(loop)) return;
            if (AsyncContext.FindTokenInScope(model, source.Syntax, symbols) is not { } token) return;
            if (token.Symbol is IFieldSymbol or IPropertySymbol
                && context.ContainingSymbol is IMethodSymbol { Name: "Dispose" or "DisposeAsync" }) return;
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(TokenProperty, token.Expression)
                .Add(ModeProperty, ModeWithCancellation);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0023_TokenNotForwarded,
                source.Syntax.GetLocation(),
                properties,
                "await foreach",
                token.Expression));
        }

        /// <summary>
        /// The facts of the called method, cached per method definition: the overloads of a
        /// generic method or of a method of a generic type are searched once, not once per
        /// instantiation (whose parameters the compiler would substitute each time).
        /// </summary>
        private MethodFacts Facts(IMethodSymbol method)
        {
            return facts.GetOrAdd(method.ReducedFrom is null ? method.OriginalDefinition : method, compute);
        }

        /// <summary>Calls whose token means something else than "stop this work", and Task waits (AGD0003/AGD0004 own them).</summary>
        private bool IsExcluded(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type is null) return true;

            // CancellationToken/Source members, TrySetCanceled(ct), Task.FromCanceled(ct): the token there names a cancellation.
            if (TokenFacts.IsCancellationApi(method, symbols)) return true;

            // A method that makes a token (CreateToken(ct), GetLinkedToken()): its token is an input, not a stop signal.
            if (symbols.IsCancellationTokenOrNullable(method.ReturnType) || KnownSymbols.InheritsFrom(method.ReturnType, symbols.CancellationTokenSource)) return true;
            return SymbolEqualityComparer.Default.Equals(type, symbols.Task)
                && method.Name is "Wait" or "WaitAll" or "WaitAny";
        }

        /// <summary>
        /// False where passing a token would be wrong or impossible: expression trees and query
        /// clauses, cleanup in <c>finally</c> or in a catch of cancellation, a call that forwards
        /// to its own overload, and a call whose enumeration gets the token via <c>WithCancellation</c>.
        /// </summary>
        private bool IsWhereCancellationApplies(IInvocationOperation invocation, ISymbol containingSymbol)
        {
            var method = invocation.TargetMethod;

            // FooAsync() => FooAsync(CancellationToken.None): the convenience overload, on purpose. Only another
            // overload, called from the member itself (not a nested function), which has no token of its own.
            if (TokenFacts.IsConvenienceOverloadCall(invocation, containingSymbol, symbols)) return false;

            if (invocation.Parent is IInvocationOperation { TargetMethod.Name: "WithCancellation" } outer
                && outer.Arguments.Length > 0 && outer.Arguments[0].Value == invocation) return false;
            if (invocation.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "WithCancellation" } }) return false;

            return IsOutsideCleanupAndTrees(invocation);
        }

        /// <summary>False inside expression trees and query clauses, callbacks run later, <c>finally</c> and catches of cancellation.</summary>
        private bool IsOutsideCleanupAndTrees(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation lambda when IsExpressionTree(lambda) || IsCallbackRunLater(lambda):
                        return false;
                    case ITranslatedQueryOperation:
                        return false;
                    case ICatchClauseOperation catchClause when IsCancellationCatch(catchClause):
                        return false;
                    case IBlockOperation block when block.Parent is ITryOperation tryOperation && tryOperation.Finally == block:
                        return false;
                }
            }

            return true;
        }

        /// <summary><c>await call</c> or <c>await call.ConfigureAwait(x)</c>.</summary>
        private static bool IsAwaited(IInvocationOperation invocation)
        {
            var consumer = OperationFacts.ConsumerOf(invocation);
            if (consumer is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && OperationFacts.StripConversions(configure.Instance!) == invocation) consumer = OperationFacts.ConsumerOf(configure);
            return consumer is IAwaitOperation;
        }

        private bool IsExpressionTree(IAnonymousFunctionOperation lambda)
        {
            if (expressionOfT is null) return false;
            var parent = lambda.Parent;
            while (parent is IConversionOperation or IDelegateCreationOperation)
            {
                if (parent.Type is INamedTypeSymbol type && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expressionOfT)) return true;
                parent = parent.Parent;
            }

            return lambda.Syntax is AnonymousFunctionExpressionSyntax syntax
                && lambda.SemanticModel?.GetTypeInfo(syntax).ConvertedType is INamedTypeSymbol converted
                && SymbolEqualityComparer.Default.Equals(converted.OriginalDefinition, expressionOfT);
        }

        /// <summary>
        /// A lambda that runs outside the work the token guards: a callback given to a token
        /// (<c>ct.Register(() => ...)</c>, which runs once it is already cancelled), an event handler,
        /// or a synchronous lambda stored in a field or property.
        /// </summary>
        private bool IsCallbackRunLater(IAnonymousFunctionOperation lambda)
        {
            var parent = OperationFacts.ConsumerOf(lambda, delegateCreations: true);
            if (parent is IEventAssignmentOperation) return true;

            // Stored in a field or property: it runs later, when the outer token may be long gone.
            if (lambda.Symbol is { IsAsync: false } && parent is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }) return true;
            return parent is IArgumentOperation { Parent: IInvocationOperation owner }
                && SymbolEqualityComparer.Default.Equals(owner.TargetMethod.ContainingType, symbols.CancellationToken);
        }

        private bool IsCancellationCatch(ICatchClauseOperation catchClause) =>
            KnownSymbols.InheritsFrom(catchClause.ExceptionType, symbols.OperationCanceledException);

        /// <summary>
        /// The facts of the called method: its token overload (the same plus a token), and whether its
        /// type has an <c>&lt;Name&gt;Async</c> sibling (AGD0002's ground).
        /// </summary>
        private MethodFacts Compute(IMethodSymbol method)
        {
            var overload = blocking.Overloads.FindTokenOverload(method);
            var hasAsyncSibling = !method.Name.EndsWith("Async", System.StringComparison.Ordinal)
                && blocking.Overloads.FindTwins(method).AnyNamed;
            return overload is null && !hasAsyncSibling ? MethodFacts.None : new MethodFacts(overload, hasAsyncSibling);
        }
    }
}
