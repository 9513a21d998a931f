export * from './synthetic-book.ts';
export * from './book-stream.ts';
